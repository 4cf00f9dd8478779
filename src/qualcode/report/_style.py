"""The report's stylesheet, inlined in the HTML so that the file stands alone."""

CSS = """
:root { --ink: #1d2330; --muted: #5b6473; --rule: #d9dde4; --accent: #1F3864; --soft: #f4f6f9; }
* { box-sizing: border-box; }
body { font: 15px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0; background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 32px 28px 64px; }
h1 { font-size: 28px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--accent);
     color: var(--accent); }
h3 { font-size: 18px; margin: 0 0 6px; display: flex; align-items: center; gap: 10px; }
h4 { font-size: 14px; margin: 16px 0 6px; color: var(--muted); text-transform: uppercase;
     letter-spacing: .04em; }
p { margin: 6px 0 10px; }
.sub { color: var(--muted); font-size: 13px; margin-bottom: 14px; }
.lead { font-size: 15.5px; }
nav ol { columns: 2; margin: 6px 0 0; padding-left: 20px; font-size: 14px; }
nav a, a { color: var(--accent); }
figure { margin: 14px 0 18px; text-align: center; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 4px; }
figcaption { font-size: 12.5px; color: var(--muted); margin-top: 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13.5px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td small { color: var(--muted); }
.swatch { width: 14px; height: 14px; border-radius: 3px; display: inline-block; flex: none; }
.theme { border: 1px solid var(--rule); border-left: 6px solid var(--c, var(--accent)); border-radius: 6px;
         padding: 16px 20px 8px; margin: 18px 0; break-inside: avoid-page; }
.def { color: var(--muted); font-size: 13.5px; font-style: italic; }
.stats { color: var(--muted); font-size: 13px; font-weight: normal; margin-left: auto; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 10px; padding: 0; list-style: none; }
.chips li { background: var(--soft); border: 1px solid var(--rule); border-radius: 12px; padding: 1px 10px;
            font-size: 13px; }
.chips li small { color: var(--muted); }
blockquote { margin: 8px 0 12px; padding: 6px 14px; border-left: 3px solid var(--rule); background: #fbfbfc; }
blockquote p { margin: 0 0 4px; }
blockquote footer { font-size: 12.5px; color: var(--muted); }
blockquote p.memo { margin: 4px 0 0; font-size: 12.5px; color: #6b4f00; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; border: 1px solid;
         margin-left: 4px; }
.badge.rev { color: #2E7D32; border-color: #2E7D32; }
.badge.mac { color: var(--muted); border-color: var(--rule); }
.note { background: var(--soft); border-radius: 6px; padding: 10px 14px; font-size: 13.5px; }
code { font-size: 12.5px; background: var(--soft); padding: 0 4px; border-radius: 3px; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .theme, figure, table { break-inside: avoid; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""
