"""Renders docs_src/dental-es.md into docs/dental-es.pdf (text layer, embedded DejaVu font).
Needs fpdf2 (not in the project venv): python3 -m venv /work/blind-kb-v3/.wvenv &&
/work/blind-kb-v3/.wvenv/bin/pip install fpdf2 ; then /work/blind-kb-v3/.wvenv/bin/python make_pdf.py
Handles only the Markdown subset used by the source: #/## headings, tables, '- ' bullets, **bold**."""
import datetime, os, re
from fpdf import FPDF
from fpdf.fonts import FontFace

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "dental-es.md")
OUT = os.path.join(HERE, "..", "docs", "dental-es.pdf")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_B = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


class Doc(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("dv", size=8)
        self.set_text_color(120)
        self.cell(0, 8, f"Clínica Dental Ribera · página {self.page_no()}", align="C")
        self.set_text_color(0)


def main():
    pdf = Doc(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("dv", "", FONT)
    pdf.add_font("dv", "B", FONT_B)
    pdf.set_title("Clínica Dental Ribera – información para pacientes")
    pdf.set_author("Clínica Dental Ribera")
    pdf.set_lang("es")
    pdf.set_creation_date(datetime.datetime(2026, 12, 2, tzinfo=datetime.timezone.utc))  # reproducible bytes
    pdf.add_page()
    lines = open(SRC, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        ln = lines[i].rstrip()
        if not ln:
            i += 1
            continue
        if ln.startswith("# "):
            pdf.set_font("dv", "B", 18)
            pdf.set_text_color(20, 90, 110)
            pdf.multi_cell(0, 9, ln[2:], new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0)
            pdf.ln(2)
        elif ln.startswith("## "):
            pdf.ln(3)
            pdf.set_font("dv", "B", 13)
            pdf.set_text_color(20, 90, 110)
            pdf.multi_cell(0, 7, ln[3:], new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0)
            pdf.ln(1)
        elif ln.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    rows.append(cells)
                i += 1
            pdf.set_font("dv", size=9.5)
            ncol = len(rows[0])
            widths = (3, 1) if ncol == 2 else (2, 1, 1)
            with pdf.table(col_widths=widths, line_height=5.5, first_row_as_headings=True,
                           headings_style=FontFace(emphasis="BOLD", fill_color=(220, 236, 240))) as t:
                for r in rows:
                    row = t.row()
                    for c in r:
                        row.cell(c)
            pdf.ln(2)
            continue
        elif ln.startswith("- "):
            pdf.set_font("dv", size=10)
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(0, 5.5, "• " + ln[2:], markdown=True, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("dv", size=10)
            pdf.multi_cell(0, 5.5, ln, markdown=True, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        i += 1
    pdf.output(OUT)
    print("wrote", os.path.normpath(OUT), pdf.page_no(), "pages")


if __name__ == "__main__":
    main()
