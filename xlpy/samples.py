"""Three realistic sample blocks, as plain data, drawn from the reference schemes.

* ``so-nganh-100``: Khối thi đua các cơ quan Tham mưu – Tổng hợp (10 sở, ban,
  ngành), 100-point frame of reference scheme B with award bonuses (+10 Cờ tỉnh,
  +15 Cờ Chính phủ, capped at 15) and deductions; a tie broken by criterion 07
  and one broken by the women's-share preference.
* ``thang-1000``: Cụm thi đua số I (5 huyện, thị xã, thành phố), the 1,000-point
  frame of reference scheme A (950 content + 50 bonus) with a weighted criterion,
  a target-based criterion (scheme D), three review stages with an office
  deduction, and a tie left shared (đồng hạng).
* ``ty-le-bac-thuong``: phường in a thematic movement scored by reference scheme C
  (100 + 15 bonus): ratios against each unit's own targets, per-event points and
  banded bonuses; the first unit is the reference's worked example (93,67).

The same data builds ``samples/*.xlsx`` (``samples/build_samples.py``) and the
workbook ``xlpy demo`` computes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .features import keyed

# ---------------------------------------------------------------------------
# 1. Khối Tham mưu – Tổng hợp, 100 points (scheme B)
# ---------------------------------------------------------------------------
_TMTH_UNITS = [
    ("SKHCN", "Sở Khoa học và Công nghệ", "Khối trưởng", 48, "vanphong@skhcn.example.gov.vn"),
    ("LMHTX", "Liên minh Hợp tác xã tỉnh", "Khối phó", 52, "lmhtx@example.gov.vn"),
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", "Thành viên", 41, "vpub@example.gov.vn"),
    ("VPDB", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "Thành viên", 63, "vpdb@example.gov.vn"),
    ("SNV", "Sở Nội vụ", "Thành viên", 58, "snv@example.gov.vn"),
    ("STC", "Sở Tài chính", "Thành viên", 55, "stc@example.gov.vn"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Thành viên", 37, "snnmt@example.gov.vn"),
    ("SNGV", "Sở Ngoại vụ", "Thành viên", 45, "sngv@example.gov.vn"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "Thành viên", 44, "sdttg@example.gov.vn"),
    ("VNC", "Viện Nghiên cứu phát triển kinh tế – xã hội", "Thành viên", 72, "vnc@example.gov.vn"),
]

_TMTH_CRITERIA = [
    {"code": "I", "kind": "Nhóm", "name": "Tổ chức phong trào thi đua", "max_points": 50},
    {"code": "01", "group": "I", "kind": "Điểm", "max_points": 10,
     "name": "Tổ chức cụm, khối thi đua cho đơn vị trực thuộc; đăng ký thi đua đúng hạn"},
    {"code": "02", "group": "I", "kind": "Điểm", "max_points": 10,
     "name": "Thực hiện giao ước thi đua; tham gia hoạt động của khối"},
    {"code": "03", "group": "I", "kind": "Điểm", "max_points": 20,
     "name": "Chương trình, kế hoạch phong trào thi đua; tổ chức sơ kết, tổng kết"},
    {"code": "04", "group": "I", "kind": "Điểm", "max_points": 10,
     "name": "Kiểm tra, tự kiểm tra công tác thi đua, khen thưởng"},
    {"code": "II", "kind": "Nhóm", "name": "Công tác khen thưởng và báo cáo", "max_points": 50},
    {"code": "05", "group": "II", "kind": "Điểm", "max_points": 10,
     "name": "Báo cáo 6 tháng, năm đúng hạn; dự hội nghị của khối đầy đủ"},
    {"code": "06", "group": "II", "kind": "Điểm", "max_points": 10,
     "name": "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến"},
    {"code": "07", "group": "II", "kind": "Điểm", "max_points": 20,
     "name": "Khen thưởng đúng đối tượng, tiêu chuẩn, kịp thời; ưu tiên người trực tiếp lao động"},
    {"code": "08", "group": "II", "kind": "Điểm", "max_points": 10,
     "name": "Ứng dụng công nghệ thông tin, số hóa hồ sơ thi đua, khen thưởng"},
    {"code": "T1", "kind": "Điểm thưởng", "max_points": 10, "name": "Được tặng Cờ thi đua của UBND tỉnh năm trước"},
    {"code": "T2", "kind": "Điểm thưởng", "max_points": 15, "name": "Được tặng Cờ thi đua của Chính phủ năm trước"},
    {"code": "D1", "kind": "Điểm trừ", "max_points": 8,
     "name": "Không phát động thi đua, không ký giao ước thi đua đầu năm"},
    {"code": "D2", "kind": "Điểm trừ", "max_points": 6, "per_event": 2, "name": "Gửi báo cáo chậm (mỗi lần trừ 2 điểm)"},
]

# Block re-score (khối trưởng, khối phó): 01..08, T1, T2, D1, D2 (count)
_TMTH_BLOCK = {
    "SKHCN": [10, 10, 19, 9, 10, 9, 19, 9.5, 10, 0, 0, 0],
    "SNV": [10, 9.5, 19, 10, 10, 9, 20, 9, 0, 0, 0, 0],
    "VPUB": [10, 10, 18.5, 9, 10, 9, 19, 9, 0, 0, 0, 0],
    "STC": [9.5, 10, 19, 9, 9.5, 9, 19.5, 9, 0, 0, 0, 0],
    "VPDB": [9, 9, 18, 9, 9.5, 8.5, 18, 8.5, 0, 0, 0, 0],
    "SNNMT": [9, 9.5, 18, 8.5, 9, 8.5, 18.5, 8, 0, 0, 0, 0],
    "SNGV": [9, 9, 17, 8, 9, 8, 17.5, 8, 0, 0, 0, 0],
    "VNC": [9, 9, 17.5, 8, 8.5, 8.5, 17.5, 7.5, 0, 0, 0, 0],
    "LMHTX": [9.5, 10, 18.5, 9, 9, 9, 18.5, 8.75, 10, 0, 0, 2],
    "SDTTG": [8.5, 8, 16.5, 7.5, 8, 7.5, 16, 7, 0, 0, 0, 1],
}
# Self-scores are the block's except where units rated themselves higher
_TMTH_SELF_RAISES = {
    "SNV": {"02": 10},
    "VPUB": {"03": 20, "08": 10},
    "SNGV": {"03": 18, "07": 18},
    "SDTTG": {"01": 9.5, "03": 18, "D2": 0},
    "LMHTX": {"D2": 1},
    "VPDB": {"06": 9},
}
# Ban TĐKT scores designated items itself (here: D1 for SDTTG, no giao ước signed)
_TMTH_OFFICE = {"SDTTG": {"D1": 8}}


def _matrix(codes: list[str], rows: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
    return {u: dict(zip(codes, vals)) for u, vals in rows.items()}


def _tmth() -> dict[str, Any]:
    codes = [c["code"] for c in _TMTH_CRITERIA if c["kind"] != "Nhóm"]
    block = _matrix(codes, _TMTH_BLOCK)
    self_ = {u: {**row, **_TMTH_SELF_RAISES.get(u, {})} for u, row in block.items()}
    return {
        "settings": keyed({
            "block_name": "Khối thi đua các cơ quan Tham mưu – Tổng hợp",
            "year": 2025,
            "period": "Tổng kết năm",
            "round_date": dt.date(2025, 12, 15),
            "decimals": 2,
            "rank_method": "Đồng hạng (1, 1, 3)",
            "final_policy": "Người chấm sau cùng",
            "tie_break": "07; TY_LE_NU; PHIEU_BAU",
            "bonus_cap": 15,
            "max_total": 100,
            "women_threshold": 70,
            "mail_sender_email": "khoitruong@skhcn.example.gov.vn",
            "mail_office_email": "bantdkt@example.gov.vn",
        }),
        "units": [
            {"code": c, "name": n, "role": r, "women_share": w, "email": e, "cc": ""} for c, n, r, w, e in _TMTH_UNITS
        ],
        "criteria": _TMTH_CRITERIA,
        "bands": [],
        "stages": {"self": self_, "block": block, "office": _TMTH_OFFICE},
        "targets": {},
    }


# ---------------------------------------------------------------------------
# 2. Cụm thi đua số I, 1,000 points (scheme A frame; scheme D for A1)
# ---------------------------------------------------------------------------
_CUM1_UNITS = [
    ("PTH", "Ủy ban nhân dân thành phố Phan Thiết", "Khối trưởng", 51, "ubnd@phanthiet.example.gov.vn"),
    ("LGI", "Ủy ban nhân dân thị xã La Gi", "Khối phó", 49, "ubnd@lagi.example.gov.vn"),
    ("TPH", "Ủy ban nhân dân huyện Tuy Phong", "Thành viên", 46, "ubnd@tuyphong.example.gov.vn"),
    ("HTN", "Ủy ban nhân dân huyện Hàm Thuận Nam", "Thành viên", 47, "ubnd@hamthuannam.example.gov.vn"),
    ("PQY", "Ủy ban nhân dân huyện Phú Quý", "Thành viên", 44, "ubnd@phuquy.example.gov.vn"),
]
_CUM1_CRITERIA = [
    {"code": "A", "kind": "Nhóm", "name": "Thực hiện nhiệm vụ chính trị, chỉ tiêu kinh tế – xã hội", "max_points": 500},
    {"code": "A1", "group": "A", "kind": "Chỉ tiêu", "max_points": 200, "target": 100,
     "name": "Thu ngân sách nhà nước trên địa bàn (% dự toán được giao)"},
    {"code": "A2", "group": "A", "kind": "Điểm", "max_points": 150, "name": "Giảm nghèo, bảo đảm an sinh xã hội"},
    {"code": "A3", "group": "A", "kind": "Điểm", "max_points": 150, "name": "Xây dựng nông thôn mới, đô thị văn minh"},
    {"code": "B", "kind": "Nhóm", "name": "Công tác thi đua, khen thưởng", "max_points": 300},
    {"code": "B1", "group": "B", "kind": "Điểm", "max_points": 50, "weight": 2,
     "name": "Ban hành kế hoạch, phát động thi đua, ký kết giao ước thi đua"},
    {"code": "B2", "group": "B", "kind": "Điểm", "max_points": 100, "name": "Sơ kết, tổng kết; phát hiện, nhân rộng điển hình tiên tiến"},
    {"code": "B3", "group": "B", "kind": "Điểm", "max_points": 100, "name": "Khen thưởng kịp thời, đúng quy định"},
    {"code": "C", "kind": "Nhóm", "name": "Xây dựng chính quyền; cải cách hành chính", "max_points": 150},
    {"code": "C1", "group": "C", "kind": "Điểm", "max_points": 100, "name": "Cải cách hành chính, chuyển đổi số"},
    {"code": "C2", "group": "C", "kind": "Điểm", "max_points": 50, "name": "Phòng, chống tham nhũng, lãng phí"},
    {"code": "T1", "kind": "Số lần", "max_points": 30, "per_event": 10, "part": "Thưởng",
     "name": "Mô hình, cách làm mới được cấp tỉnh công nhận (10 điểm/mô hình)"},
    {"code": "T2", "kind": "Điểm thưởng", "max_points": 20, "name": "Thành tích đột xuất được khen thưởng"},
    {"code": "D1", "kind": "Điểm trừ", "max_points": 8,
     "name": "Không phát động, không ký giao ước hoặc không đăng ký thi đua (Ban TĐKT chấm)"},
]
# Block scores: A1 (% of plan), A2, A3, B1, B2, B3, C1, C2, T1 (count), T2, D1
_CUM1_BLOCK = {
    "PTH": [118, 140, 135, 48, 92, 90, 92, 46, 2, 10, 0],
    "LGI": [109, 138, 140, 47, 90, 92, 88, 45, 1, 5, 0],
    "TPH": [100, 136, 132, 46, 88, 90, 90, 46, 1, 10, 0],
    "HTN": [95, 142, 138, 46, 89, 88, 86, 44, 2, 0, 0],
    "PQY": [104, 130, 128, 45, 86, 85, 84, 43, 0, 0, 0],
}
_CUM1_SELF_RAISES = {"PTH": {"A2": 145}, "HTN": {"B2": 95, "C1": 90}, "PQY": {"A3": 135}}
_CUM1_OFFICE = {"PQY": {"D1": 8}}


def _cum1() -> dict[str, Any]:
    codes = [c["code"] for c in _CUM1_CRITERIA if c["kind"] != "Nhóm"]
    block = _matrix(codes, _CUM1_BLOCK)
    self_ = {u: {**row, **_CUM1_SELF_RAISES.get(u, {})} for u, row in block.items()}
    return {
        "settings": keyed({
            "block_name": "Cụm thi đua số I",
            "year": 2024,
            "period": "Tổng kết năm",
            "round_date": dt.date(2024, 12, 20),
            "decimals": 2,
            "rank_method": "Đồng hạng (1, 1, 3)",
            "final_policy": "Người chấm sau cùng",
            "tie_break": "",
            "content_cap": 950,
            "bonus_cap": 50,
            "max_total": 1000,
            "mail_sender_email": "cumtruong@phanthiet.example.gov.vn",
            "mail_office_email": "bantdkt@example.gov.vn",
        }),
        "units": [
            {"code": c, "name": n, "role": r, "women_share": w, "email": e, "cc": ""} for c, n, r, w, e in _CUM1_UNITS
        ],
        "criteria": _CUM1_CRITERIA,
        "bands": [],
        "stages": {"self": self_, "block": block, "office": _CUM1_OFFICE},
        "targets": {},
    }


# ---------------------------------------------------------------------------
# 3. Thematic movement, ratios and banded bonus (scheme C)
# ---------------------------------------------------------------------------
_PHUONG_UNITS = [
    ("P01", "Phường Ninh Kiều", "Khối trưởng", 60, "ubnd.ninhkieu@example.gov.vn", 6),
    ("P02", "Phường Cái Khế", "Khối phó", 58, "ubnd.caikhe@example.gov.vn", 5),
    ("P03", "Phường Tân An", "Thành viên", 55, "ubnd.tanan@example.gov.vn", 4),
    ("P04", "Phường An Bình", "Thành viên", 62, "ubnd.anbinh@example.gov.vn", 3),
    ("P05", "Phường Thới An Đông", "Thành viên", 57, "ubnd.thoiandong@example.gov.vn", 4),
    ("P06", "Phường Bình Thủy", "Thành viên", 59, "ubnd.binhthuy@example.gov.vn", 7),
    ("P07", "Phường Long Tuyền", "Thành viên", 54, "ubnd.longtuyen@example.gov.vn", 2),
    ("P08", "Phường Cái Răng", "Thành viên", 61, "ubnd.cairang@example.gov.vn", 3),
]
_PHUONG_CRITERIA = [
    {"code": "1", "kind": "Số lần", "max_points": 20, "per_event": 0.4,
     "name": "Tuyên truyền, vận động: số đối tượng xác nhận trong 50 đối tượng kiểm tra ngẫu nhiên (0,4 điểm/đối tượng)"},
    {"code": "2", "kind": "Tỷ lệ", "max_points": 40, "name": "Tỷ lệ đối tượng mở tài khoản hoặc cung cấp số tài khoản"},
    {"code": "3", "kind": "Tỷ lệ", "max_points": 20, "name": "Tỷ lệ tài khoản mở mới được cấp thẻ ATM"},
    {"code": "4", "kind": "Tỷ lệ", "max_points": 20, "name": "Tỷ lệ đối tượng được chi trả không dùng tiền mặt"},
    {"code": "5.1", "kind": "Bậc thưởng", "max_points": 5, "name": "Hoàn thành 100% mở tài khoản mới đúng thời hạn (% đúng hạn)"},
    {"code": "5.2", "kind": "Bậc thưởng", "max_points": 5, "name": "Tỷ lệ chi trả không dùng tiền mặt từ 88% trở lên (%)"},
    {"code": "5.3", "kind": "Bậc thưởng", "max_points": 5,
     "name": "Cập nhật 100% dữ liệu vào Cơ sở dữ liệu quốc gia về an sinh xã hội (%)"},
]
_PHUONG_BANDS = [
    {"code": "5.1", "low": 100, "low_inclusive": "Có", "high": 100, "high_inclusive": "Có", "points": 5},
    {"code": "5.2", "low": 88, "low_inclusive": "Có", "high": 90, "high_inclusive": "Không", "points": 2},
    {"code": "5.2", "low": 90, "low_inclusive": "Có", "high": 95, "high_inclusive": "Không", "points": 3},
    {"code": "5.2", "low": 95, "low_inclusive": "Có", "high": 100, "high_inclusive": "Không", "points": 4},
    {"code": "5.2", "low": 100, "low_inclusive": "Có", "high": 100, "high_inclusive": "Có", "points": 5},
    {"code": "5.3", "low": 100, "low_inclusive": "Có", "high": 100, "high_inclusive": "Có", "points": 5},
]
# per unit: (confirmed of 50, beneficiaries a, accounts b, ATM cards, cashless paid, 5.1 %, 5.3 %)
_PHUONG_DATA = {
    "P01": (45, 400, 360, 300, 380, 90, 98),  # reference §7 case 6: 93,67
    "P02": (48, 520, 507, 480, 494, 100, 100),
    "P03": (42, 300, 270, 243, 270, 95, 100),
    "P04": (50, 250, 250, 250, 250, 100, 100),
    "P05": (46, 350, 350, 350, 315, 100, 96),
    "P06": (46, 280, 280, 280, 252, 100, 97),
    "P07": (38, 610, 488, 390, 530, 80, 90),
    "P08": (44, 450, 396, 356, 400, 92, 100),
}


def _phuong() -> dict[str, Any]:
    self_: dict[str, dict[str, Any]] = {}
    targets: dict[str, dict[str, Any]] = {}
    for u, (conf, a, b, atm, cashless, on_time, db) in _PHUONG_DATA.items():
        pct_cashless = round(cashless * 100 / a, 1)
        self_[u] = {"1": conf, "2": b, "3": atm, "4": cashless, "5.1": on_time, "5.2": pct_cashless, "5.3": db}
        targets[u] = {"2": a, "3": b, "4": a}
    # the cluster re-checked one figure: P08 reported 400 cashless payments, 396 verified
    block = {"P08": {"4": 396, "5.2": round(396 * 100 / 450, 1)}}
    return {
        "settings": keyed({
            "block_name": "Cụm thi đua các phường – phong trào chi trả an sinh xã hội không dùng tiền mặt",
            "year": 2025,
            "period": "Tổng kết năm",
            "round_date": dt.date(2025, 12, 10),
            "decimals": 2,
            "rank_method": "Đồng hạng (1, 1, 3)",
            "final_policy": "Người chấm sau cùng",
            "tie_break": "2; 3; PHIEU_BAU",
            "bonus_cap": 15,
            "mail_sender_email": "cumtruong.ninhkieu@example.gov.vn",
            "mail_office_email": "bantdkt@example.gov.vn",
        }),
        "units": [
            {"code": c, "name": n, "role": r, "women_share": w, "email": e, "cc": "", "votes": v}
            for c, n, r, w, e, v in _PHUONG_UNITS
        ],
        "criteria": _PHUONG_CRITERIA,
        "bands": _PHUONG_BANDS,
        "stages": {"self": self_, "block": block},
        "targets": targets,
    }


SAMPLES = {
    "so-nganh-100": _tmth,
    "thang-1000": _cum1,
    "ty-le-bac-thuong": _phuong,
}


def sample_data(name: str) -> dict[str, Any]:
    return SAMPLES[name]()


def build_sample(name: str, path: str | Path) -> Path:
    """Write the sample workbook ``name`` to ``path``."""
    from .book.template import build_workbook
    from .rules.samples import rules_sample
    from .schema import core as S
    from .year.samples import year_sample

    d = sample_data(name)
    rule_settings, rule_tables = rules_sample(name)
    year_settings, year_tables = year_sample(name)
    tables = {S.UNITS: d["units"], S.CRITERIA: d["criteria"], S.BANDS: d["bands"], **rule_tables, **year_tables}
    return build_workbook(path, settings={**d["settings"], **rule_settings, **year_settings}, tables=tables, stages=d["stages"],
                          targets=d["targets"])
