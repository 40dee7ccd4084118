from congtac12.cli import main

main()
