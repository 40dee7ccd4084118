"""What a new database holds: Hanoi's 30 district-level territorial unions (2020)."""

from __future__ import annotations

DISTRICTS = (
    "Ba Đình",
    "Hoàn Kiếm",
    "Tây Hồ",
    "Long Biên",
    "Cầu Giấy",
    "Đống Đa",
    "Hai Bà Trưng",
    "Hoàng Mai",
    "Thanh Xuân",
    "Nam Từ Liêm",
    "Bắc Từ Liêm",
    "Hà Đông",
)
TOWNS = ("Sơn Tây",)
RURAL_DISTRICTS = (
    "Sóc Sơn",
    "Đông Anh",
    "Gia Lâm",
    "Thanh Trì",
    "Mê Linh",
    "Ba Vì",
    "Phúc Thọ",
    "Đan Phượng",
    "Hoài Đức",
    "Quốc Oai",
    "Thạch Thất",
    "Chương Mỹ",
    "Thanh Oai",
    "Thường Tín",
    "Phú Xuyên",
    "Ứng Hòa",
    "Mỹ Đức",
)

HANOI_UNIONS: tuple[str, ...] = (
    tuple(f"Quận đoàn {p}" for p in DISTRICTS)
    + tuple(f"Thị đoàn {p}" for p in TOWNS)
    + tuple(f"Huyện đoàn {p}" for p in RURAL_DISTRICTS)
)
