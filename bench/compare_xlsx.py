"""Compare two workbooks (two ledgers, before and after a change), as openpyxl reads them back:
every sheet's cells (value, type, number format, font, fill, border, alignment, protection,
quote prefix, named style), widths, frozen panes, print titles, footer, sheet protection, page
setup, print options, margins, data validations, conditional formats, merged cells; and every
XML part of the zip byte for byte (docProps/, which holds the time written, left out).

    python bench/compare_xlsx.py BEFORE.xlsx AFTER.xlsx   # exit 0 when identical
"""
import sys, zipfile
from openpyxl import load_workbook

def styles_of(cell):
    return (cell.number_format, repr(cell.font), repr(cell.fill), repr(cell.border), repr(cell.alignment),
            repr(cell.protection), cell.quotePrefix, cell.style)

def compare(a, b):
    problems = []
    wa, wb = load_workbook(a), load_workbook(b)
    if wa.sheetnames != wb.sheetnames:
        return [f"sheets {wa.sheetnames} != {wb.sheetnames}"]
    cells = 0
    for name in wa.sheetnames:
        sa, sb = wa[name], wb[name]
        if (sa.max_row, sa.max_column) != (sb.max_row, sb.max_column):
            problems.append(f"{name}: size {(sa.max_row, sa.max_column)} != {(sb.max_row, sb.max_column)}")
        for ra, rb in zip(sa.iter_rows(), sb.iter_rows()):
            for ca, cb in zip(ra, rb):
                cells += 1
                if (ca.value, ca.data_type) != (cb.value, cb.data_type):
                    problems.append(f"{name}!{ca.coordinate}: {ca.value!r}/{ca.data_type} != {cb.value!r}/{cb.data_type}")
                if styles_of(ca) != styles_of(cb):
                    problems.append(f"{name}!{ca.coordinate}: style differs")
        for attribute in ("freeze_panes", "print_title_rows", "print_title_cols"):
            if getattr(sa, attribute) != getattr(sb, attribute):
                problems.append(f"{name}: {attribute} differs")
        for key in set(sa.column_dimensions) | set(sb.column_dimensions):
            if sa.column_dimensions[key].width != sb.column_dimensions[key].width:
                problems.append(f"{name}: width of {key} differs")
        footers = [tuple(getattr(getattr(sheet.oddFooter, side), "text") for side in ("left", "center", "right"))
                   for sheet in (sa, sb)]
        if footers[0] != footers[1]:
            problems.append(f"{name}: footer differs")
        rules = [[(str(format.sqref), [repr(rule) for rule in format.rules]) for format in sheet.conditional_formatting]
                 for sheet in (sa, sb)]
        if rules[0] != rules[1]:
            problems.append(f"{name}: conditional formats differ")
        for part in ("protection", "page_setup", "print_options", "page_margins", "sheet_properties",
                     "data_validations", "merged_cells", "auto_filter"):
            if repr(getattr(sa, part)) != repr(getattr(sb, part)):
                problems.append(f"{name}: {part} differs")
    za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
    names_a, names_b = sorted(za.namelist()), sorted(zb.namelist())
    if names_a != names_b:
        problems.append(f"parts {names_a} != {names_b}")
    parts = 0
    for part in names_a:
        if part.startswith("docProps/"):
            continue
        parts += 1
        if za.read(part) != zb.read(part):
            problems.append(f"part {part} differs")
    return problems, cells, parts

problems, cells, parts = compare(sys.argv[1], sys.argv[2])
print(f"{cells} cells and {parts} XML parts compared: " + ("identical" if not problems else f"{len(problems)} differences"))
for problem in problems[:20]:
    print("  " + problem)
sys.exit(1 if problems else 0)
