"""The report page's stylesheet: the screen, and A4 paper (``@media print``).

System fonts only, each with full Vietnamese coverage where installed (no web font is
fetched); states carry their word as well as their colour, so a black-and-white print reads
the same.
"""

FONTS = '"Segoe UI", Arial, "Noto Sans", "DejaVu Sans", "Liberation Sans", sans-serif'

STYLE = f"""
:root {{ color-scheme: light; }}
html {{ font-family: {FONTS}; font-size: 15px; line-height: 1.45; color: #111827; background: #fff; }}
body {{ margin: 0 auto; padding: 1.5rem 2rem; max-width: 84rem; }}
header {{ border-bottom: 2px solid #1f2937; margin-bottom: 1rem; padding-bottom: .5rem; }}
header p {{ margin: .15rem 0; }}
.agency {{ font-weight: 600; text-transform: uppercase; letter-spacing: .02em; }}
h1 {{ font-size: 1.5rem; margin: .3rem 0 .4rem; }}
h2 {{ font-size: 1.15rem; margin: 1.4rem 0 .4rem; }}
.source {{ color: #4b5563; }}
table {{ border-collapse: collapse; width: 100%; margin: .3rem 0 1rem; }}
caption {{ text-align: left; color: #4b5563; padding-bottom: .2rem; }}
th, td {{ border: 1px solid #d1d5db; padding: .25rem .45rem; vertical-align: top; }}
thead th {{ background: #f3f4f6; text-align: left; font-weight: 600; }}
tbody th, tfoot th {{ text-align: left; font-weight: 500; }}
.figures th:not(:first-child), .coverage thead th:not(:first-child), th.num {{ text-align: right; }}
tfoot th, tfoot td {{ font-weight: 700; background: #f9fafb; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.of {{ color: #6b7280; }}
.short .mark, td.bad {{ color: #b91c1c; font-weight: 600; }}
.met .mark {{ color: #15803d; }}
.none {{ color: #9ca3af; }}
.code, th.name {{ white-space: nowrap; }}
.state {{ display: inline-block; padding: 0 .45rem; border-radius: .6rem; border: 1px solid; white-space: nowrap; }}
.state.met {{ background: #dcfce7; border-color: #15803d; color: #14532d; font-weight: 600; }}
.state.on-track {{ background: #ecfdf5; border-color: #4ade80; color: #166534; }}
.state.behind {{ background: #fef9c3; border-color: #ca8a04; color: #713f12; }}
.state.not-met {{ background: #fee2e2; border-color: #b91c1c; color: #7f1d1d; font-weight: 600; }}
.state.exempt, .state.not-subject {{ background: #f3f4f6; border-color: #9ca3af; color: #374151; }}
.totals dl {{ display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; }}
.total {{ border: 1px solid #d1d5db; border-left-width: .4rem; padding: .3rem .7rem; min-width: 8rem; }}
.total dt {{ font-size: .9rem; }}
.total dd {{ margin: 0; font-size: 1.4rem; font-weight: 700; }}
.total.met {{ border-left-color: #15803d; }} .total.on-track {{ border-left-color: #4ade80; }}
.total.behind {{ border-left-color: #ca8a04; }} .total.not-met {{ border-left-color: #b91c1c; }}
.total.exempt, .total.not-subject {{ border-left-color: #9ca3af; }}
.legend dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .5rem; }}
.legend dl div {{ display: contents; }}
.legend dd {{ margin: 0; }}
.legend ul, ul.kinds {{ margin: .3rem 0; padding-left: 1.2rem; }}
ul.kinds {{ list-style: none; padding: 0; display: flex; gap: 1.2rem; }}
.swatch {{ display: inline-block; width: .9rem; height: .9rem; margin-right: .3rem; vertical-align: -.1rem; }}
figure {{ margin: .3rem 0 1rem; overflow-x: auto; }}
svg text {{ font-family: {FONTS}; font-size: 12px; fill: #111827; }}
svg text.day {{ font-size: 10px; font-weight: 700; }}
svg text.axis {{ fill: #4b5563; }}
footer {{ margin-top: 1.5rem; border-top: 1px solid #d1d5db; color: #4b5563; font-size: .85rem; }}
@media print {{
  @page {{ size: A4; margin: 14mm 12mm; }}
  html {{ font-size: 10.5pt; }}
  body {{ padding: 0; max-width: none; }}
  section.department + section.department {{ break-before: page; }}
  section.pictures, section.legend {{ break-before: page; }}
  thead {{ display: table-header-group; }}
  tfoot {{ display: table-footer-group; }}
  tr, .total {{ break-inside: avoid; }}
  h2 {{ break-after: avoid; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  figure {{ overflow: visible; }}
}}
"""
