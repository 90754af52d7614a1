"""Award-rule data of the three sample blocks (``so-nganh-100``, ``thang-1000``,
``ty-le-bac-thuong``): the records of the award sheets and the sample's award
settings.  The verdicts expected for each sample are hand-checked in
``samples/expected/<name>.check.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..schema import rules as S
from .settings import LABELS

D = dt.date


def rules_sample(sample_name: str) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """(settings by label, records by sheet name) of a sample's award sheets."""
    data = SAMPLES[sample_name]()
    settings = {LABELS[attr]: v for attr, v in data.get("settings", {}).items()}
    tables = {k: v for k, v in data.items() if k != "settings"}
    return settings, tables


# ---------------------------------------------------------------------------------------
# helpers to write records compactly

GRADE = {"XS": "Hoàn thành xuất sắc nhiệm vụ", "T": "Hoàn thành tốt nhiệm vụ", "HT": "Hoàn thành nhiệm vụ", "K": "Không hoàn thành nhiệm vụ"}


def _person(code, name, unit, gender, grade, initiative="Không", initiatives=None, **kw) -> dict:
    return {"code": code, "name": name, "unit": unit, "gender": gender, "grade": GRADE[grade], "initiative": initiative,
            "initiatives": initiatives, **kw}


def _coll(code, grade, members, completed, ldtt, cstdcs, disciplined, htxs, htt, outstanding="Không") -> dict:
    return {"code": code, "grade": GRADE[grade], "members": members, "completed": completed, "ldtt": ldtt, "cstdcs": cstdcs,
            "disciplined": disciplined, "htxs": htxs, "htt": htt, "outstanding_unit": outstanding, "under_review": "Không"}


def _prop(subject, code, title, votes=None, kind="Công trạng", movement=None, achievement=None, outstanding="Không", chair=None) -> dict:
    return {"subject": subject, "code": code, "title": title, "kind": kind, "movement": movement, "achievement": achievement,
            "outstanding": outstanding, "votes": votes, "chair_order": chair}


def _hist(year, subject, code, title, kind="Công trạng", unit=None, name=None, decision=None) -> dict:
    return {"year": year, "subject": subject, "code": code, "title": title, "kind": kind, "unit": unit, "name": name, "decision": decision}


LDTT, CSTDCS, CSTDT = "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cấp tỉnh"
TTLDTT, TTLDXS = "Tập thể lao động tiên tiến", "Tập thể lao động xuất sắc"
BK, CO_T, CO_CP, GK = "Bằng khen của Chủ tịch UBND tỉnh", "Cờ thi đua cấp tỉnh", "Cờ thi đua của Chính phủ", "Giấy khen"
CN, TT = "Cá nhân", "Tập thể"


# ---------------------------------------------------------------------------------------
# 1. so-nganh-100: Khối Tham mưu – Tổng hợp, round 15/12/2025 (NĐ 152/2025)


def _so_nganh() -> dict:
    mv = "Chuyển đổi số trong cơ quan nhà nước"
    return {
        "settings": {"council_members": 15, "bk_block_count": 2},
        S.COLLECTIVES: [
            _coll("SKHCN", "XS", 48, 48, 40, 5, 0, 6, 34),
            _coll("LMHTX", "XS", 25, 25, 18, 2, 0, 4, 18),
            _coll("VPUB", "XS", 60, 60, 41, 3, 0, 8, 40),
            _coll("VPDB", "T", 30, 30, 24, 1, 0, 3, 22),
            _coll("SNV", "XS", 52, 52, 45, 4, 0, 7, 38),
            _coll("STC", "XS", 70, 69, 60, 6, 0, 9, 50),
            _coll("SNNMT", "T", 90, 90, 70, 5, 1, 10, 60),
            _coll("SNGV", "T", 20, 20, 14, 1, 0, 2, 15),
            _coll("SDTTG", "HT", 25, 24, 12, 0, 0, 1, 12),
            _coll("VNC", "T", 18, 18, 13, 1, 0, 2, 11),
        ],
        S.PEOPLE: [
            _person("CN01", "Nguyễn Thị Lan", "SKHCN", "Nữ", "XS", "Tỉnh", 2),
            _person("CN02", "Trần Văn Hùng", "SNV", "Nam", "XS", "Cơ sở", 1),
            _person("CN03", "Lê Minh Tuấn", "STC", "Nam", "T"),
            _person("CN04", "Phạm Thu Hà", "VPUB", "Nữ", "XS", "Cơ sở", 1),
            _person("CN05", "Hoàng Văn Nam", "SNNMT", "Nam", "T", discipline="Khiển trách", disc_from=D(2024, 7, 1), disc_to=D(2025, 6, 30)),
            _person("CN06", "Đỗ Thị Mai", "LMHTX", "Nữ", "XS", "Cơ sở", 2),
            _person("CN07", "Vũ Quang Huy", "SKHCN", "Nam", "T"),
            _person("CN08", "Bùi Thị Ngọc", "VPDB", "Nữ", "T"),
            _person("CN09", "Ngô Văn Phúc", "SNV", "Nam", "T", under_review="Có"),
            _person("CN10", "Đinh Thị Hoa", "VNC", "Nữ", "XS", "Cơ sở", 1),
        ],
        S.PROPOSALS: [
            _prop(TT, "SKHCN", TTLDXS),  # 2
            _prop(TT, "LMHTX", TTLDXS),  # 3
            _prop(TT, "VPUB", TTLDXS),  # 4
            _prop(TT, "SNV", TTLDXS),  # 5
            _prop(TT, "STC", TTLDXS),  # 6
            _prop(TT, "VPDB", TTLDTT),  # 7
            _prop(TT, "SNNMT", TTLDTT),  # 8
            _prop(TT, "SNGV", TTLDTT),  # 9
            _prop(TT, "SDTTG", TTLDTT),  # 10
            _prop(TT, "VNC", TTLDTT),  # 11
            _prop(TT, "SKHCN", CO_T, 14),  # 12
            _prop(TT, "LMHTX", CO_T, 13),  # 13
            _prop(TT, "SKHCN", CO_CP, 12),  # 14
            _prop(TT, "SNV", BK, 13),  # 15
            _prop(TT, "LMHTX", BK, 13),  # 16
            _prop(TT, "STC", BK, 11),  # 17
            _prop(CN, "CN01", LDTT),  # 18
            _prop(CN, "CN01", CSTDCS, 14),  # 19
            _prop(CN, "CN01", CSTDT, 14),  # 20
            _prop(CN, "CN02", LDTT),  # 21
            _prop(CN, "CN02", CSTDCS, 13),  # 22
            _prop(CN, "CN02", CSTDT, 14),  # 23
            _prop(CN, "CN03", LDTT),  # 24
            _prop(CN, "CN03", CSTDCS, 12),  # 25
            _prop(CN, "CN04", LDTT),  # 26
            _prop(CN, "CN04", CSTDCS, 11),  # 27
            _prop(CN, "CN05", LDTT),  # 28
            _prop(CN, "CN06", BK, 12),  # 29
            _prop(CN, "CN07", BK, 12),  # 30
            _prop(CN, "CN08", GK, achievement="VPDB-2025-07", outstanding="Có"),  # 31
            _prop(CN, "CN08", BK, 12, achievement="VPDB-2025-07", outstanding="Có"),  # 32
            _prop(CN, "CN09", LDTT),  # 33
            _prop(CN, "CN10", LDTT),  # 34
            _prop(CN, "CN10", CSTDCS, 15),  # 35
            _prop(TT, "VPUB", BK, 14, "Chuyên đề", mv, outstanding="Có"),  # 36
            _prop(TT, "SNNMT", BK, 12, "Chuyên đề", mv, outstanding="Có"),  # 37
            _prop(TT, "VNC", BK, 13, "Chuyên đề", mv, outstanding="Có"),  # 38
            _prop(TT, "SNGV", BK, 13, "Chuyên đề", mv, outstanding="Có"),  # 39
            _prop(CN, "CN03", BK, 10, "Chuyên đề", mv, outstanding="Có"),  # 40
        ],
        S.HISTORY: [
            _hist(2023, CN, "CN01", CSTDCS, unit="SKHCN", name="Nguyễn Thị Lan", decision="QĐ 215/QĐ-SKHCN"),
            _hist(2024, CN, "CN01", CSTDCS, unit="SKHCN", name="Nguyễn Thị Lan", decision="QĐ 198/QĐ-SKHCN"),
            _hist(2022, CN, "CN02", CSTDCS, unit="SNV", name="Trần Văn Hùng", decision="QĐ 301/QĐ-SNV"),
            _hist(2024, CN, "CN02", CSTDCS, unit="SNV", name="Trần Văn Hùng", decision="QĐ 288/QĐ-SNV"),
            _hist(2024, CN, "CN06", "Hoàn thành xuất sắc nhiệm vụ", "Xếp loại", unit="LMHTX", name="Đỗ Thị Mai"),
            _hist(2024, CN, "CN07", CSTDCS, unit="SKHCN", name="Vũ Quang Huy", decision="QĐ 198/QĐ-SKHCN"),
            _hist(2024, CN, "CN07", BK, "Đột xuất", unit="SKHCN", name="Vũ Quang Huy", decision="QĐ 1502/QĐ-UBND"),
            _hist(2024, TT, "STC", "Hoàn thành xuất sắc nhiệm vụ", "Xếp loại", name="Sở Tài chính"),
            _hist(2024, TT, "SKHCN", CO_T, decision="QĐ 45/QĐ-UBND"),
        ],
        S.MOVEMENTS: [{"name": mv, "collectives": 37, "individuals": 400}],
    }


# ---------------------------------------------------------------------------------------
# 2. thang-1000: Cụm thi đua số I, round 20/12/2024 (NĐ 98/2023), legacy NĐ 91 presets on


def _thang_1000() -> dict:
    return {
        "settings": {"council_members": 11, "legacy_nd91": "Có"},
        S.COLLECTIVES: [
            _coll("PTH", "XS", 410, 410, 330, 28, 0, 60, 300),
            _coll("LGI", "T", 300, 298, 220, 15, 0, 50, 240),
            _coll("TPH", "T", 320, 318, 230, 14, 0, 50, 260),
            _coll("HTN", "T", 280, 279, 190, 10, 0, 40, 200),
            _coll("PQY", "T", 150, 150, 120, 6, 0, 20, 110),
        ],
        S.PEOPLE: [
            _person("C01", "Nguyễn Thị Thu", "PTH", "Nữ", "XS", "Cơ sở", 1),
            _person("C02", "Lê Văn Bình", "PTH", "Nam", "XS", "Cơ sở", 1),
            _person("C03", "Trần Quốc Việt", "PTH", "Nam", "T", "Cơ sở", 1),
            _person("C04", "Phạm Thị Hồng", "LGI", "Nữ", "XS", "Tỉnh", 2),
            _person("C05", "Huỳnh Văn Lộc", "HTN", "Nam", "XS", "Tỉnh", 3),
            _person("C06", "Võ Thị Kim", "TPH", "Nữ", "T"),
            _person("C07", "Mai Văn Tư", "PQY", "Nam", "HT"),
        ],
        S.PROPOSALS: [
            _prop(TT, "PTH", CO_T, 10),  # 2
            _prop(TT, "PTH", CO_CP, 9),  # 3
            _prop(TT, "PTH", TTLDXS),  # 4
            _prop(TT, "LGI", BK, 9, outstanding="Có"),  # 5
            _prop(TT, "TPH", TTLDTT),  # 6
            _prop(TT, "HTN", TTLDTT),  # 7
            _prop(TT, "PQY", TTLDTT),  # 8
            _prop(CN, "C01", LDTT),  # 9
            _prop(CN, "C01", CSTDCS, 10),  # 10
            _prop(CN, "C02", LDTT),  # 11
            _prop(CN, "C02", CSTDCS, 9),  # 12
            _prop(CN, "C03", LDTT),  # 13
            _prop(CN, "C03", CSTDCS, 9),  # 14
            _prop(CN, "C04", LDTT),  # 15
            _prop(CN, "C04", CSTDCS, 10),  # 16
            _prop(CN, "C04", CSTDT, 10),  # 17
            _prop(CN, "C05", LDTT),  # 18
            _prop(CN, "C05", CSTDCS, 8),  # 19
            _prop(CN, "C05", CSTDT, 10),  # 20
            _prop(CN, "C06", LDTT),  # 21
            _prop(CN, "C06", GK, outstanding="Có"),  # 22
            _prop(CN, "C07", LDTT),  # 23
        ],
        S.HISTORY: [
            _hist(2022, CN, "C04", CSTDCS, unit="LGI", name="Phạm Thị Hồng", decision="QĐ 77/QĐ-UBND"),
            _hist(2023, CN, "C04", CSTDCS, unit="LGI", name="Phạm Thị Hồng", decision="QĐ 81/QĐ-UBND"),
            _hist(2021, CN, "C05", CSTDCS, unit="HTN", name="Huỳnh Văn Lộc", decision="QĐ 12/QĐ-UBND"),
            _hist(2022, CN, "C05", CSTDCS, unit="HTN", name="Huỳnh Văn Lộc", decision="QĐ 15/QĐ-UBND"),
            _hist(2023, CN, "C05", CSTDCS, unit="HTN", name="Huỳnh Văn Lộc", decision="QĐ 19/QĐ-UBND"),
        ],
        S.MOVEMENTS: [],
    }


# ---------------------------------------------------------------------------------------
# 3. ty-le-bac-thuong: phường in a thematic movement, round 10/12/2025 (NĐ 152/2025)


def _ty_le() -> dict:
    mv = "Chi trả an sinh xã hội không dùng tiền mặt"
    people = [
        ("K01", "Trần Thị Yến", "P04", "Nữ", 9), ("K02", "Nguyễn Văn Sang", "P02", "Nam", 9), ("K03", "Lý Thị Bích", "P06", "Nữ", 9),
        ("K04", "Đặng Văn Tài", "P05", "Nam", 8), ("K05", "Châu Văn Lực", "P03", "Nam", 8), ("K06", "Lâm Thị Diệu", "P08", "Nữ", 8),
        ("K07", "Phan Văn Khải", "P01", "Nam", 8), ("K08", "Tô Văn Hậu", "P07", "Nam", 7), ("K09", "Quách Thị Nhàn", "P04", "Nữ", 7),
        ("K10", "Dương Thị Xuân", "P02", "Nữ", 7), ("K11", "Hà Văn Cường", "P03", "Nam", 6), ("K12", "Kiều Văn Thắng", "P06", "Nam", 7),
    ]
    persons = []
    for code, name, unit, g, _v in people:
        extra = {"discipline": "Cảnh cáo", "disc_from": D(2025, 3, 1), "disc_to": D(2026, 2, 28)} if code == "K05" else {}
        persons.append(_person(code, name, unit, g, "T", **extra))
    chair = {"K12": 1, "K08": 2}
    props = [
        _prop(TT, "P04", BK, 9, "Chuyên đề", mv, outstanding="Có"),  # 2
        _prop(TT, "P02", BK, 8, "Chuyên đề", mv, outstanding="Có"),  # 3
        _prop(TT, "P06", BK, 8, "Chuyên đề", mv, outstanding="Có"),  # 4
        _prop(TT, "P05", BK, 8, "Chuyên đề", mv, outstanding="Có"),  # 5
    ] + [_prop(CN, code, BK, v, "Chuyên đề", mv, outstanding="Có", chair=chair.get(code)) for code, _n, _u, _g, v in people]  # 6..17
    return {
        "settings": {"council_members": 9, "bk_cn_multiple": 1, "bk_tt_multiple": 2},
        S.COLLECTIVES: [
            _coll("P01", "T", 24, 24, 18, 2, 0, 3, 16),
            _coll("P02", "XS", 22, 22, 17, 2, 0, 3, 16),
            _coll("P03", "T", 26, 26, 19, 1, 0, 3, 18),
            _coll("P04", "XS", 28, 28, 23, 3, 0, 5, 20, outstanding="Có"),
            _coll("P05", "XS", 21, 21, 16, 2, 0, 3, 15),
            _coll("P06", "XS", 25, 25, 19, 2, 0, 3, 18),
            _coll("P07", "T", 20, 20, 14, 1, 0, 5, 15),
            _coll("P08", "T", 23, 23, 17, 1, 0, 3, 17),
        ],
        S.PEOPLE: persons,
        S.PROPOSALS: props,
        S.HISTORY: [],
        S.MOVEMENTS: [{"name": mv, "collectives": 26, "individuals": 180}],
    }


SAMPLES = {"so-nganh-100": _so_nganh, "thang-1000": _thang_1000, "ty-le-bac-thuong": _ty_le}
