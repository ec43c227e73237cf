#!/usr/bin/python3
"""make-test-pdfs.py - the team's own test PDFs, made from the team's own text.

Writes (all committed, each well under 200 KB, fonts subset and embedded):
  corpora/600982_jinglan-power-demo_2023_zh.pdf  the Chinese PDF sample: cover,
      contents page, single-column pages, a two-column page whose paragraph runs
      from the left column into the right one, a table of yearly emission figures
      (year header row, unit column, a wrapped row label), a paragraph running over
      a page break, a running header and footer on every text page, a scanned page
      (image only) and a GRI content index.
  tests/fixtures/pdf/mixed-en.pdf   English: justified text with a hyphenated
      line break, a bold body-size heading, a two-column page, an FY table.
  tests/fixtures/pdf/scanned.pdf    one page that is only an image: no text layer.
  tests/fixtures/pdf/encrypted.pdf  needs a user password.
  tests/fixtures/pdf/restricted.pdf opens without a password but forbids copying.
  tests/fixtures/pdf/truncated.pdf  the first 60% of the sample's bytes.

Needs (for generation only; `make test` needs just poppler-utils):
  apt-get install python3-reportlab python3-pil fonts-droid-fallback
Run from the repository root: python3 tools/make-test-pdfs.py (or
tools/make-test-pdfs.sh, which installs those packages first). The output is
deterministic (fixed document ids and dates), so re-running changes nothing.
"""
import io
import os
import sys

from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab import rl_config

rl_config.invariant = 1  # fixed ids and dates: reproducible files

CJK_FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
pdfmetrics.registerFont(TTFont("CJK", CJK_FONT))

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_L, MARGIN_R = 56.0, 539.0
TOP, BOTTOM = 770.0, 80.0
BODY, LEADING = 10.5, 18.0


def is_cjk(ch):
    return ord(ch) >= 0x2000


def runs(text, bold=False):
    """Split text into (font, string) runs: CJK in the embedded CJK font,
    the rest in Helvetica (standard font, not embedded)."""
    latin = "Helvetica-Bold" if bold else "Helvetica"
    out = []
    for ch in text:
        f = "CJK" if is_cjk(ch) else latin
        if out and out[-1][0] == f:
            out[-1][1] += ch
        else:
            out.append([f, ch])
    return out


def width(text, size, bold=False):
    return sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs(text, bold))


def draw(c, x, y, text, size, bold=False, word_space=0.0, char_space=0.0):
    """Draw text; word_space widens Latin spaces, char_space follows every
    CJK character (justification)."""
    for f, t in runs(text, bold):
        o = c.beginText(x, y)
        o.setFont(f, size)
        # Tc and Tw are graphics state: set both for every run.
        o.setCharSpace(char_space if f == "CJK" else 0.0)
        o.setWordSpace(word_space if f != "CJK" else 0.0)
        o.textOut(t)
        c.drawText(o)
        x += pdfmetrics.stringWidth(t, f, size)
        x += len(t) * char_space if f == "CJK" else t.count(" ") * word_space


NO_START = set("，。、；：！？）》」』”’%")


def break_lines(text, w, size, first_indent=0.0):
    """Greedy line breaking: anywhere between CJK characters, at spaces in
    Latin text, never inside a number or word; closing punctuation stays on
    the line before."""
    # tokens: a CJK character, or a run of non-CJK non-space characters, or a space
    toks = []
    i = 0
    while i < len(text):
        ch = text[i]
        if is_cjk(ch) or ch == " ":
            toks.append(ch)
            i += 1
        else:
            j = i
            while j < len(text) and not is_cjk(text[j]) and text[j] != " ":
                j += 1
            toks.append(text[i:j])
            i = j
    lines, cur, avail = [], "", w - first_indent
    for t in toks:
        if cur and width(cur + t, size) > avail and t != " ":
            carry = ""
            if t[0] in NO_START:
                # At most one mark may hang past the edge; otherwise the last
                # character moves down with it.
                if cur[-1] not in NO_START:
                    cur += t
                    continue
                if len(cur) > 1 and is_cjk(cur[-2]) and cur[-2] not in NO_START:
                    cur, carry = cur[:-2], cur[-2:]
                else:
                    cur += t
                    continue
            lines.append(cur.rstrip(" "))
            cur, avail = carry + ("" if t == " " else t), w
            continue
        if not cur and t == " ":
            continue
        cur += t
    if cur.strip():
        lines.append(cur.rstrip(" "))
    return lines


class Doc:
    """A tiny frame-based typesetter with running header and footer."""

    def __init__(self, path, header=None, footer=None, encrypt=None):
        self.c = canvas.Canvas(path, pagesize=(PAGE_W, PAGE_H), encrypt=encrypt, invariant=1)
        self.c.setTitle("cnrs test document")
        self.c.setAuthor("cnrs")
        self.header, self.footer = header, footer
        self.page = 0
        self.frames = []
        self.y = None
        self.new_page()

    def furniture(self):
        if self.header:
            draw(self.c, MARGIN_L, 806, self.header, 9)
            self.c.setLineWidth(0.5)
            self.c.line(MARGIN_L, 800, MARGIN_R, 800)
        if self.footer:
            draw(self.c, MARGIN_L, 36, self.footer, 9)
            n = str(self.page)
            draw(self.c, MARGIN_R - width(n, 9), 36, n, 9)

    def new_page(self, frames=None):
        if self.page:
            self.c.showPage()
        self.page += 1
        self.furniture()
        self.frames = list(frames or [(MARGIN_L, MARGIN_R, TOP, BOTTOM)])
        self.frame = self.frames.pop(0)
        self.y = self.frame[2]

    def next_frame(self):
        if self.frames:
            self.frame = self.frames.pop(0)
            self.y = self.frame[2]
        else:
            self.new_page()

    def space(self, h):
        self.y -= h

    def line(self, text, size=BODY, x_off=0.0, bold=False, lead=LEADING, word_space=0.0,
             char_space=0.0):
        if self.y - size < self.frame[3]:
            self.next_frame()
        self.y -= size
        draw(self.c, self.frame[0] + x_off, self.y, text, size, bold, word_space, char_space)
        self.y -= lead - size

    def heading(self, text, size=16):
        self.space(6)
        self.line(text, size, lead=size + 10)

    def para(self, text, size=BODY, indent=2, justify=True, gap=6):
        """A justified paragraph (every line but the last fills the frame:
        Latin by word spacing, Chinese by character spacing)."""
        x0, x1 = self.frame[0], self.frame[1]
        first = indent * size
        lines = break_lines(text, x1 - x0, size, first)
        for k, ln in enumerate(lines):
            ws = cs = 0.0
            slack = (x1 - x0) - (first if k == 0 else 0) - width(ln, size)
            ncjk = sum(1 for ch in ln if is_cjk(ch))
            if justify and k + 1 < len(lines) and slack > 0:
                if ncjk > 1:
                    cs = slack / ncjk
                elif " " in ln:
                    ws = slack / ln.count(" ")
            self.line(ln, size, first if k == 0 else 0.0, word_space=ws, char_space=cs)
        self.space(gap)

    def table(self, xs, rows, size=9, lead=15):
        for row in rows:
            if self.y - size < self.frame[3]:
                self.next_frame()
            self.y -= size
            for x, cell in zip(xs, row):
                if cell:
                    draw(self.c, x, self.y, cell, size)
            self.y -= lead - size

    def image_page(self, img):
        """A page that is only a picture (a scanned insert): no furniture."""
        self.c.showPage()
        self.page += 1
        buf = io.BytesIO()
        img.save(buf, format="PNG", optimize=True)
        buf.seek(0)
        self.c.drawImage(ImageReader(buf), 56, 200, 483, 560)
        self.frames = []
        self.frame = (MARGIN_L, MARGIN_R, TOP, BOTTOM)
        self.y = None

    def save(self):
        self.c.showPage()
        self.c.save()


def scan_image():
    """A grey 'photo page' drawn as pixels: blocks and strokes, no text layer."""
    im = Image.new("L", (483, 560), 235)
    d = ImageDraw.Draw(im)
    for k in range(6):
        d.rectangle((20, 20 + k * 90, 463, 90 + k * 90), outline=90, width=3)
        for s in range(8):
            d.line((40 + s * 50, 35 + k * 90, 70 + s * 50, 80 + k * 90), fill=60, width=4)
    return im.convert("1")


# ---- the Chinese sample ----------------------------------------------------------

HEADER = "晶澜电力股份有限公司  2023年环境、社会及治理报告"
FOOTER = "倡导低碳生活 共建美丽中国"

TOC = [
    ("一、董事长致辞", "3", True),
    ("二、关于我们", "3", True),
    ("三、绿色转型", "4", True),
    ("四、排放与核算", "5", True),
    ("五、携手伙伴：价值链协同与碳普惠", "6", False),
    ("六、环境管理", "6", False),
    ("附录 GRI内容索引", "8", False),
]

CHAIRMAN = ("2023年是全面贯彻党的二十大精神的开局之年，也是晶澜电力加快绿色转型的关键一年。"
            "我国提出2030年前碳达峰、2060年前碳中和目标。作为一家以火电为主的综合性发电企业，"
            "我们深知肩负的责任。过去一年，全体员工攻坚克难，公司安全生产形势总体稳定，经营业绩稳步"
            "提升。展望未来，我们将坚定不移走绿色发展之路，为股东、员工和社会创造更大价值。")
ABOUT = ("晶澜电力股份有限公司成立于1998年，是一家在上海证券交易所上市的发电企业。公司业务覆盖"
         "火电、风电、光伏和水电，控股装机容量2,865万千瓦。2023年，公司完成发电量1,128亿千瓦时，"
         "实现营业收入486.3亿元。公司现有员工18,420人，所属电厂分布在12个省份。公司持续完善法人"
         "治理结构，全年召开股东大会3次。")
TARGETS = ("公司力争2028年实现碳达峰，较全国目标提前两年，处于行业领先水平。公司力争2055年前实现"
           "碳中和。到2025年，公司单位供电碳排放强度较2020年下降8%。公司已向科学碳目标（SBTi）组织"
           "提交目标承诺函。")
PATHWAY = ("公司发布《碳达峰行动方案（2023—2030年）》，明确了煤电清洁化、新能源规模化发展和电能"
           "替代三条路径。2023年，公司新增风电、光伏装机186万千瓦，清洁能源装机占比达到41.6%。公司"
           "投入4.2亿元，对6台燃煤机组实施汽轮机通流工艺改造。")
GOVERNANCE = ("公司董事会下设ESG委员会，负责审议气候相关目标和重大减碳事项。公司制定《低碳发展考核"
              "办法》，将单位供电碳排放强度纳入各电厂负责人年度绩效考核。公司暂未组织专门的双碳培训。")
PATENTS = "公司累计获得低碳技术相关授权专利58项。"
ACCOUNTING = ("公司依据ISO 14064-1标准和《发电设施温室气体排放核算与报告要求》开展温室气体核算。核算"
              "边界按运营控制权法确定，涵盖公司所有控股发电企业，核算气体包括CO2、CH4和N2O。燃煤排放"
              "因子采用实测元素碳含量计算，活动数据来自入炉煤计量系统。公司2023年温室气体排放数据已经"
              "第三方机构核查。")
EMISSIONS = ("2023年，公司范围一直接排放为8,126.45万吨二氧化碳当量。2021年至2023年，公司温室气体排放总量"
             "分别为8,512.60万吨、8,390.20万吨和8,126.60万吨二氧化碳当量。公司单位供电"
             "二氧化碳排放强度为0.802吨二氧化碳当量/兆瓦时，同比下降2.3%，处于行业领先水平。")
TABLE = [
    ["指标", "单位", "2021年", "2022年", "2023年"],
    ["范围一直接排放", "万吨二氧化碳当量", "8,512.45", "8,390.05", "8,126.45"],
    ["温室气体", "万吨二氧化碳当量", "8,512.60", "8,390.20", "8,126.60"],
    ["排放总量", "", "", "", ""],
    ["范围二间接排放", "吨二氧化碳当量", "1,512.40", "1,488.10", "1,466.73"],
]
TABLE_X = [56, 150, 290, 370, 450]
REDUCTION = "2023年，公司新能源发电量折合减少二氧化碳排放约1,032万吨。公司全年完成绿电交易量3.6亿千瓦时。"
ALLOWANCES = ("公司2022年度碳排放配额已按期足额清缴，履约率100%。2023年，公司通过全国碳排放权交易市场出售"
              "富余配额52万吨，成交金额2,860万元。")
RISK = ("公司参照TCFD框架识别气候风险，主要转型风险包括煤电利用小时数下降和环保政策趋严，主要物理风险"
        "包括台风和极端高温。针对上述风险，公司制定了加快新能源布局、提升机组调峰能力和防汛防台等应对"
        "措施。公司暂未开展内部碳定价。")
SYNERGY = ("公司统筹推进减污降碳协同增效，将污染治理与碳减排工作同步规划、同步实施。公司利用机组余热为"
           "周边工业园区供热，全年供热量1,860万吉焦。")
PARTNERS = ("公司推动燃料供应商减碳，将单位产品碳排放水平纳入燃煤供应商评价指标。公司与地方政府、高校和"
            "科研院所保持良好沟通，共同推动当地经济社会发展。")
ENV = [
    "公司秉持“绿色发电、和谐共生”的环境方针。公司所属火电企业均已建立环境管理体系并通过ISO 14001认证。"
    "公司设立安全环保部，各电厂配备专职环保负责人。",
    "2023年，公司综合能耗为3,386.5万吨标准煤。公司发电用能以燃煤为主，燃煤占一次能源消费量的93.2%，"
    "天然气占6.8%。公司供电标准煤耗为298.6克/千瓦时，单位产值综合能耗为6.96吨标准煤/万元，均处于行业"
    "领先水平。公司完成9台机组冷端优化和辅机变频等节能改造。上述节能改造全年实现节能量8.6万吨标准煤。",
    "公司全年取水量为4,862万立方米，单位发电量耗水量为0.43千克/千瓦时。",
    "公司二氧化硫、氮氧化物和烟尘排放量分别为3,215吨、5,864吨和412吨。公司废水排放量为286.4万吨，"
    "化学需氧量排放量为52.7吨。公司一般固体废物产生量为612.8万吨，危险废物产生量为1,236吨。公司所有"
    "燃煤机组均已完成超低排放改造，脱硫、脱硝和除尘治理设施投运率为100%。",
    "公司推行无纸化办公，倡导绿色办公。",
]
GRI = [
    ("指标编号", "指标名称", "页码"),
    ("GRI 2-22", "可持续发展战略声明", "P3"),
    ("GRI 201-2", "气候变化带来的财务影响以及其他风险和机遇", "P5"),
    ("GRI 301-1", "所用原材料的重量或体积", "P6"),
    ("GRI 302-1", "组织内部的能源消耗量", "P6"),
    ("GRI 303-3", "取水", "P6"),
    ("GRI 304-2", "活动、产品和服务对生物多样性的重大影响", "P6"),
    ("GRI 305-1", "直接（范围一）温室气体排放", "P5"),
    ("GRI 305-2", "能源间接（范围二）温室气体排放", "P5"),
    ("GRI 305-3", "其他间接（范围三）温室气体排放", "P5"),
    ("GRI 305-4", "温室气体排放强度", "P5"),
    ("GRI 305-5", "温室气体减排量", "P5"),
    ("GRI 305-7", "氮氧化物、硫氧化物和其他重大气体排放", "P6"),
    ("GRI 306-3", "产生的废弃物", "P6"),
    ("GRI 308-1", "绿色采购：使用环境标准筛选的新供应商", "P6"),
    ("TCFD 战略(c)", "气候情景分析", "P5"),
    ("TCFD 指标和目标(a)", "内部碳定价", "P5"),
]


def sample(path):
    d = Doc(path, HEADER, FOOTER)
    # 1: cover
    d.space(180)
    d.line("晶澜电力股份有限公司", 24, lead=44)
    d.line("2023年环境、社会及治理（ESG）报告", 18, lead=30)
    # 2: contents
    d.new_page()
    d.line("目录", 16, lead=34)
    for label, page, leaders in TOC:
        if leaders:
            dots = "…" * int((420 - width(label, BODY)) / width("…", BODY))
            d.line(label + dots + page, BODY, x_off=30, lead=24)
        else:
            d.line(label, BODY, x_off=30, lead=0.0 + BODY)
            draw(d.c, 30 + MARGIN_L + 430, d.y, page, BODY)
            d.space(24 - BODY)
    # 3: one column
    d.new_page()
    d.heading("一、董事长致辞")
    d.para(CHAIRMAN)
    d.heading("二、关于我们")
    d.para(ABOUT)
    # 4: two columns under a full-width title; PATHWAY runs from the foot of
    # the left column to the head of the right one in mid-sentence.
    d.new_page()
    d.heading("三、绿色转型")
    top = d.y
    left = (MARGIN_L, 287.0, top, top - 8 * LEADING - 11)
    right = (308.0, MARGIN_R, top, BOTTOM)
    d.frames = [right]
    d.frame, d.y = left, top
    d.para(TARGETS)
    d.para(PATHWAY)
    d.para(GOVERNANCE)
    d.para(PATENTS)
    # 5: one column, table; RISK runs over the page break onto page 6
    d.new_page()
    d.heading("四、排放与核算")
    d.para(ACCOUNTING)
    d.para(EMISSIONS)
    d.space(4)
    d.line("表1 温室气体排放数据", 12.5, lead=22)
    d.table(TABLE_X, TABLE)
    d.space(8)
    d.para(REDUCTION)
    d.para(ALLOWANCES)
    d.para(SYNERGY)
    d.y = min(d.y, BOTTOM + 2 * LEADING + 1)  # two lines of RISK fit; the rest goes over
    d.para(RISK)
    d.heading("五、携手伙伴")
    d.para(PARTNERS)
    d.heading("六、环境管理")
    for p in ENV:
        d.para(p)
    # 7: a scanned insert; 8: the GRI index
    d.image_page(scan_image())
    d.new_page()
    d.heading("GRI内容索引")
    d.table([56, 190, 500], GRI, size=BODY, lead=20)
    d.save()


# ---- English fixture -------------------------------------------------------------

EN_P1 = ("Example Power Co. publishes this report to explain how the company manages its "
         "greenhouse gas emissions and its energy use across all operating sites in 2023.")
EN_P2 = ("We reduced our direct emissions by 4.2% compared with the previous year while "
         "the output of our plants grew, and we will keep reducing them every year until 2030.")
EN_TARGET = ("The company aims to reach net zero operational emissions by 2050 and to halve "
             "the carbon intensity of its power supply by 2030 against a 2020 baseline.")
EN_LEFT = ("Our board oversees climate matters through a sustainability committee that meets "
           "every quarter. The committee reviews progress on the decarbonisation roadmap and "
           "approves the annual energy saving plan of every power plant of the group.")
EN_RIGHT = "Employees received training on energy saving and environmental protection."


def english(path):
    d = Doc(path, None, "Example Power Co. Sustainability Report 2023")
    d.heading("Climate Report 2023", 18)
    d.para(EN_P1, indent=0, justify=True, gap=10)
    # A hand-made hyphenated break: "emis-" / "sions".
    d.line("Our generation fleet cut its total greenhouse gas emis-", BODY)
    d.line("sions to 1,466.73 tCO2e in 2023.", BODY)
    d.space(10)
    d.para(EN_P2, indent=0, justify=True, gap=10)
    d.line("Our targets", BODY, bold=True, lead=24)
    d.para(EN_TARGET, indent=0, justify=True, gap=10)
    d.new_page()
    d.heading("Governance", 16)
    top = d.y
    d.frames = [(308.0, MARGIN_R, top, BOTTOM)]
    d.frame, d.y = (MARGIN_L, 287.0, top, top - 3 * LEADING - 6), top
    d.para(EN_LEFT, indent=0, justify=True)
    d.para(EN_RIGHT, indent=0, justify=True)
    d.new_page()
    d.heading("Data", 16)
    d.table([56, 190, 280, 360, 440], [
        ["Metric", "Unit", "FY2021", "FY2022", "FY2023"],
        ["Scope 1 emissions", "tCO2e", "1,354.20", "1,410.05", "1,466.73"],
        ["Scope 2 emissions", "tCO2e", "512.40", "488.10", "466.30"],
    ])
    d.save()


def scanned(path):
    c = canvas.Canvas(path, pagesize=(PAGE_W, PAGE_H), invariant=1)
    buf = io.BytesIO()
    scan_image().save(buf, format="PNG", optimize=True)
    buf.seek(0)
    c.drawImage(ImageReader(buf), 56, 200, 483, 560)
    c.showPage()
    c.save()


def small(path, encrypt):
    d = Doc(path, None, None, encrypt=encrypt)
    d.para("公司2023年温室气体排放总量为1,466.73吨二氧化碳当量。")
    d.save()


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    os.chdir(root)
    os.makedirs("tests/fixtures/pdf", exist_ok=True)
    out = "corpora/600982_jinglan-power-demo_2023_zh.pdf"
    sample(out)
    english("tests/fixtures/pdf/mixed-en.pdf")
    scanned("tests/fixtures/pdf/scanned.pdf")
    small("tests/fixtures/pdf/encrypted.pdf",
          StandardEncryption("user-secret", ownerPassword="owner-secret", strength=128))
    small("tests/fixtures/pdf/restricted.pdf",
          StandardEncryption("", ownerPassword="owner-secret", canCopy=0, strength=128))
    data = open(out, "rb").read()
    open("tests/fixtures/pdf/truncated.pdf", "wb").write(data[: len(data) * 6 // 10])
    for p in [out] + ["tests/fixtures/pdf/" + f for f in
                      ("mixed-en.pdf", "scanned.pdf", "encrypted.pdf", "restricted.pdf",
                       "truncated.pdf")]:
        size = os.path.getsize(p)
        print("%-50s %7d bytes" % (p, size))
        if size >= 200 * 1024:
            sys.exit("%s is over 200 KB" % p)


if __name__ == "__main__":
    main()
