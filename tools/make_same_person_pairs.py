"""Write the labelled, fictitious same-person pair set (tests/data/same_person_pairs.csv).

Every identity is invented by combining common name parts; a pair is labelled "same" when both
records are built from one identity (then written differently: without marks, in Hanzi, in
pinyin, in Khmer or Lao script, with a name part left out, a typo, an alias, an estimated age)
and "different" when they come from two identities chosen to look alike. The labels therefore
come from how the pair was made, not from the matcher. Run: ``python tools/make_same_person_pairs.py``.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, replace
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "same_person_pairs.csv"

# (Vietnamese, simplified Hanzi, traditional Hanzi, pinyin)
SURNAMES = [
    ("Nguyễn", "阮", "阮", "Ruan"), ("Trần", "陈", "陳", "Chen"), ("Lê", "黎", "黎", "Li"),
    ("Phạm", "范", "范", "Fan"), ("Hoàng", "黄", "黃", "Huang"), ("Vũ", "武", "武", "Wu"),
    ("Đặng", "邓", "鄧", "Deng"), ("Bùi", "裴", "裴", "Pei"), ("Đỗ", "杜", "杜", "Du"),
    ("Hồ", "胡", "胡", "Hu"), ("Ngô", "吴", "吳", "Wu"), ("Dương", "杨", "楊", "Yang"),
    ("Lý", "李", "李", "Li"), ("Vương", "王", "王", "Wang"), ("Đinh", "丁", "丁", "Ding"),
    ("Lâm", "林", "林", "Lin"),
]
GIVEN = [
    ("Mai", "梅", "梅", "Mei"), ("Lan", "兰", "蘭", "Lan"), ("Hoa", "花", "花", "Hua"),
    ("Hương", "香", "香", "Xiang"), ("Ngọc", "玉", "玉", "Yu"), ("Minh", "明", "明", "Ming"),
    ("Anh", "英", "英", "Ying"), ("Hạnh", "幸", "幸", "Xing"), ("Thu", "秋", "秋", "Qiu"),
    ("Xuân", "春", "春", "Chun"), ("Hải", "海", "海", "Hai"), ("Nga", "娥", "娥", "E"),
    ("Linh", "玲", "玲", "Ling"), ("Phương", "芳", "芳", "Fang"), ("Yến", "燕", "燕", "Yan"),
    ("Thảo", "草", "草", "Cao"), ("Vân", "云", "雲", "Yun"), ("Hồng", "红", "紅", "Hong"),
    ("Trang", "庄", "莊", "Zhuang"), ("Huyền", "玄", "玄", "Xuan"), ("Kim", "金", "金", "Jin"),
]
GIVEN_MALE = [
    ("Hùng", "雄", "雄", "Xiong"), ("Tuấn", "俊", "俊", "Jun"), ("Quang", "光", "光", "Guang"),
    ("Dũng", "勇", "勇", "Yong"), ("Long", "龙", "龍", "Long"), ("Nam", "南", "南", "Nan"),
]
MIDDLE_F = ("Thị", "氏", "氏", "Shi")
MIDDLE_M = ("Văn", "文", "文", "Wen")
# (Khmer script, a usual romanisation)
KHMER = [
    ("សុខ", "Sok"), ("ស្រីនាង", "Sreyneang"), ("ចាន់", "Chan"), ("សុភា", "Sophea"), ("គឹម", "Kim"),
    ("ស្រីពៅ", "Sreypov"), ("ហេង", "Heng"), ("ដារ៉ា", "Dara"), ("ជា", "Chea"), ("ចន្ធូ", "Chanthou"),
    ("សៅ", "Sao"), ("រតនា", "Ratana"), ("ពៅ", "Pov"), ("លីដា", "Lida"), ("ម៉ៅ", "Mao"), ("សុខា", "Sokha"),
    ("ឡុង", "Long"), ("វណ្ណា", "Vanna"), ("មុំ", "Mom"), ("ស្រីល័ក្ខ", "Sreyleak"),
]
LAO = [
    ("ສົມພອນ", "Somphone"), ("ແກ້ວມະນີ", "Keomany"), ("ບຸນມີ", "Bounmy"), ("ສີສະຫວັດ", "Sisavath"),
    ("ຄຳ", "Kham"), ("ພອນ", "Phone"), ("ວົງ", "Vong"), ("ສຸລິຍາ", "Souliya"), ("ມະນີ", "Many"),
    ("ນ້ອຍ", "Noy"), ("ຈັນ", "Chan"), ("ດາວ", "Dao"), ("ພູມີ", "Phoumy"), ("ວັນນາ", "Vanna"),
]
HMONG = [("Giàng", "Giang"), ("Sùng", "Sung"), ("Vàng", "Vang"), ("Thào", "Thao"), ("Lù", "Lu")]
HMONG_GIVEN = ["Páo", "Dợ", "Mỷ", "Sính", "Chứ", "Dính", "Mái", "Sủa"]


@dataclass(frozen=True)
class Record:
    """One side of a pair as a desk would store it."""

    family: str
    middle: str
    given: str
    sex: str
    dob: str = ""
    estimated_age: str = ""
    estimated_on: str = ""
    aliases: str = ""
    document: str = ""


FIELDS = ("family", "middle", "given", "sex", "dob", "estimated_age", "estimated_on", "aliases", "document")


def _dob(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2008, 2017), rng.randint(1, 12), rng.randint(1, 28)


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _vietnamese(rng: random.Random, female: bool) -> tuple[tuple[str, ...], ...]:
    surname = rng.choice(SURNAMES)
    middle = MIDDLE_F if female else MIDDLE_M
    given = rng.choice(GIVEN if female else GIVEN_MALE)
    return surname, middle, given


def _strip_marks(text: str) -> str:
    from anyascii import anyascii

    return anyascii(text)


def _age_variant(rng: random.Random, dob: tuple[int, int, int]) -> Record:
    year, month, day = dob
    choice = rng.random()
    if choice < 0.5:
        return Record("", "", "", "", dob=_iso(year, month, day))
    if choice < 0.7 and day <= 12:
        return Record("", "", "", "", dob=_iso(year, day, month))  # day and month swapped
    age = 2026 - year - rng.choice((0, 1))
    return Record("", "", "", "", estimated_age=str(age), estimated_on="2026-06-01")


def _with_age(base: Record, age: Record) -> Record:
    return replace(base, dob=age.dob, estimated_age=age.estimated_age, estimated_on=age.estimated_on)


Parts = tuple[tuple[str, ...], ...]


def _typo(surname: tuple[str, ...], given: tuple[str, ...], b: Record) -> Record:
    plain = _strip_marks(surname[0])
    if len(plain) >= 6:  # two letters swapped in a long surname: "Ngyuen"
        return replace(b, family=plain[:2] + plain[3] + plain[2] + plain[4:])
    return replace(b, given=given[0] + given[0][-1])  # a letter typed twice: "Maii"


def _written_otherwise(variant: str, parts: Parts, sex: str, b: Record) -> Record:
    """The second record of a "same" pair: one identity, written as ``variant`` says."""
    surname, middle, given = parts
    swap = {"Vũ": "Võ", "Hoàng": "Huỳnh"}
    alias_given = "Thị Sáu" if sex == "F" else "Văn Sáu"
    writers = {
        "no_marks": lambda: Record(*(_strip_marks(p[0]) for p in parts), sex),
        "hanzi": lambda: Record(surname[1], middle[1], given[1], sex),
        "hanzi_trad": lambda: Record(surname[2], middle[2], given[2], sex),
        "pinyin": lambda: Record(surname[3].upper(), middle[3], given[3], sex),
        "pinyin_joined": lambda: Record(surname[3], "", middle[3] + given[3].lower(), sex),
        "middle_left_out": lambda: Record(surname[0], "", given[0], sex),
        "alias_hanzi": lambda: Record("Lò", "", alias_given, sex, aliases=surname[1] + middle[1] + given[1]),
        "surname_variant": lambda: replace(b, family=swap.get(surname[0], surname[0])),
        "typo": lambda: _typo(surname, given, b),
    }
    return writers[variant]()


def vietnamese_pairs(rng: random.Random, count: int) -> list[tuple[str, bool, Record, Record]]:
    """Same children written in Vietnamese at one desk and otherwise at the other."""
    out: list[tuple[str, bool, Record, Record]] = []
    variants = ("no_marks", "hanzi", "hanzi_trad", "pinyin", "pinyin_joined", "middle_left_out",
                "alias_hanzi", "surname_variant", "typo", "document")
    for n in range(count):
        female = rng.random() < 0.8
        parts = _vietnamese(rng, female)
        surname, middle, given = parts
        dob = _dob(rng)
        sex = "F" if female else "M"
        a = Record(surname[0], middle[0], given[0], sex, dob=_iso(*dob))
        variant = variants[n % len(variants)]
        b = Record(surname[0], middle[0], given[0], rng.choice((sex, "U")))
        cross = variant in ("hanzi", "hanzi_trad", "pinyin", "pinyin_joined", "alias_hanzi")
        if variant == "document":
            doc = f"0{rng.randint(10**10, 10**11 - 1)}"
            a = replace(a, document=doc)
            b = Record(_strip_marks(surname[0]), "", "X" + _strip_marks(given[0]), "U", document=doc)
        else:
            b = _written_otherwise(variant, parts, sex, b)
        out.append((variant, cross, a, _with_age(b, _age_variant(rng, dob))))
    return out


def script_pairs(rng: random.Random, table: list[tuple[str, str]], count: int, tag: str
                 ) -> list[tuple[str, bool, Record, Record]]:
    """Same Khmer or Lao children written in their script at one desk, romanised at the other."""
    out: list[tuple[str, bool, Record, Record]] = []
    for _ in range(count):
        family, given = rng.sample(table, 2)
        sex = rng.choice("FM")
        dob = _dob(rng)
        a = Record(family[0], "", given[0], sex, dob=_iso(*dob))
        b = Record(family[1], "", given[1], sex)
        if rng.random() < 0.3:
            b = Record(given[1], "", family[1], sex)  # given name written first
        out.append((tag, True, a, _with_age(b, _age_variant(rng, dob))))
    return out


def hmong_pairs(rng: random.Random, count: int) -> list[tuple[str, bool, Record, Record]]:
    """H'Mông names with and without marks."""
    out: list[tuple[str, bool, Record, Record]] = []
    for _ in range(count):
        family = rng.choice(HMONG)
        given = rng.choice(HMONG_GIVEN)
        female = rng.random() < 0.7
        middle = "Thị" if female else "A"
        dob = _dob(rng)
        a = Record(family[0], middle, given, "F" if female else "M", dob=_iso(*dob))
        b = Record(family[1], _strip_marks(middle), _strip_marks(given), a.sex)
        out.append(("hmong", False, a, _with_age(b, _age_variant(rng, dob))))
    return out


def different(rng: random.Random, same: list[tuple[str, bool, Record, Record]]
              ) -> list[tuple[str, bool, Record, Record]]:
    """Look-alike pairs of two children: one part of name, sex or birth differs."""
    out: list[tuple[str, bool, Record, Record]] = []
    for index, (variant, cross, a, b) in enumerate(same):
        kind = index % 4
        if kind == 0 and a.dob:
            year = int(a.dob[:4]) + rng.choice((-4, -3, 3, 4))
            b = replace(b, dob=f"{year}{a.dob[4:]}", estimated_age="", estimated_on="")
            label = f"{variant}/born_apart"
        elif kind == 1 and a.sex in "FM" and variant not in ("document",):
            b = replace(b, sex="M" if a.sex == "F" else "F")
            label = f"{variant}/other_sex"
        else:
            b = _other_given(rng, variant, a, b)
            label = f"{variant}/other_name"
        if variant == "document":
            b = replace(b, document="")
        out.append((label, cross, a, b))
    return out


def _other_given(rng: random.Random, variant: str, a: Record, b: Record) -> Record:
    if variant in ("khmer", "lao"):
        table = KHMER if variant == "khmer" else LAO
        pool = [row for row in table if a.given not in row and a.family not in row]
        row = rng.choice(pool)
        return replace(b, given=row[1]) if b.given.isascii() else replace(b, family=row[1])
    if variant == "hmong":
        return replace(b, given=rng.choice([g for g in HMONG_GIVEN if _strip_marks(g) != b.given]))
    pool = [g for g in GIVEN + GIVEN_MALE if a.given not in g]
    other = rng.choice(pool)
    if variant == "alias_hanzi":
        return replace(b, aliases=b.aliases[:-1] + other[1])
    if any("\u4e00" <= ch <= "\u9fff" for ch in b.given + b.family):
        return replace(b, given=other[1])
    if variant in ("pinyin", "pinyin_joined"):
        return replace(b, given=other[3] if variant == "pinyin" else "Shi" + other[3].lower())
    return replace(b, given=_strip_marks(other[0]) if b.given.isascii() else other[0])


def main() -> None:
    """Build the set with a fixed seed and write it."""
    rng = random.Random(20261207)
    same = (vietnamese_pairs(rng, 120) + script_pairs(rng, KHMER, 30, "khmer")
            + script_pairs(rng, LAO, 30, "lao") + hmong_pairs(rng, 20))
    rows = [("same", *p) for p in same] + [("different", *p) for p in different(rng, same)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["label", "variant", "cross_script", *(f"a_{f}" for f in FIELDS),
                         *(f"b_{f}" for f in FIELDS)])
        for label, variant, cross, a, b in rows:
            writer.writerow([label, variant, int(cross), *(getattr(a, f) for f in FIELDS),
                             *(getattr(b, f) for f in FIELDS)])
    print(f"{len(rows)} pairs written to {OUT}")


if __name__ == "__main__":
    main()
