"""The year's data of the three sample blocks: how each hands over its leadership, and
who registered what at the start of the year (sheet “Đăng ký thi đua”).

* ``so-nganh-100`` (Khối Tham mưu – Tổng hợp, 2025): the deputy becomes leader, the
  next unit of the declared order deputy; every unit registered, all but Sở Dân tộc
  và Tôn giáo signed the pledge (the Ban TĐKT's −8 at D1 in the sample); CN10 is
  proposed for Chiến sĩ thi đua cơ sở but registered only Lao động tiên tiến (the
  check warns).
* ``thang-1000`` (Cụm thi đua số I, 2024): a fixed order, as the Bình Thuận seed
  hands the Cụm trưởng's flag on at each tổng kết; everyone registered and signed.
* ``ty-le-bac-thuong`` (phường, 2025): leader and deputy elected at the tổng kết, as
  the Tây Ninh seed “chuyển giao … khối trưởng … và bầu … làm khối phó”.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..features import keyed
from ..schema import year as Y

D = dt.date
TT, CN = "Tập thể", "Cá nhân"
LDTT, CSTDCS, CSTDT = "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cấp tỉnh"
TTLDTT, TTLDXS, CO_T, CO_CP = "Tập thể lao động tiên tiến", "Tập thể lao động xuất sắc", "Cờ thi đua cấp tỉnh", "Cờ thi đua của Chính phủ"
BK = "Bằng khen của Chủ tịch UBND tỉnh"


def _reg(subject: str, code: str, titles: list[str], on: dt.date | None, signed: str | None = None,
         signed_on: dt.date | None = None, name: str | None = None) -> dict[str, Any]:
    return {"subject": subject, "code": code, "name": name, "titles": "; ".join(titles) or None, "registered_on": on,
            "signed": signed, "signed_on": signed_on}


def _so_nganh() -> dict[str, Any]:
    on, pact = D(2025, 1, 15), D(2025, 1, 22)
    units = {
        "SKHCN": [TTLDXS, CO_CP], "LMHTX": [TTLDXS, CO_T], "VPUB": [TTLDXS], "VPDB": [TTLDTT], "SNV": [TTLDXS],
        "STC": [TTLDXS], "SNNMT": [TTLDTT], "SNGV": [TTLDTT], "SDTTG": [TTLDTT], "VNC": [TTLDTT],
    }
    rows = [_reg(TT, c, t, on, "Không" if c == "SDTTG" else "Có", None if c == "SDTTG" else pact) for c, t in units.items()]
    people = {"CN01": [CSTDT], "CN02": [CSTDT], "CN03": [CSTDCS], "CN04": [CSTDCS], "CN05": [LDTT], "CN06": [CSTDCS],
              "CN07": [CSTDCS], "CN08": [LDTT], "CN09": [LDTT], "CN10": [LDTT]}
    rows += [_reg(CN, c, t, D(2025, 1, 20)) for c, t in people.items()]
    order = "SKHCN; LMHTX; VPUB; VPDB; SNV; STC; SNNMT; SNGV; SDTTG; VNC"
    return {"settings": keyed({"rotation": "Khối phó lên Khối trưởng", "rotation_order": order}),
            Y.REGISTRATION: rows}


def _thang_1000() -> dict[str, Any]:
    on, pact = D(2024, 1, 10), D(2024, 1, 18)
    units = {"PTH": [TTLDXS, CO_CP], "LGI": [TTLDXS, CO_T], "TPH": [TTLDTT], "HTN": [TTLDTT], "PQY": [TTLDTT]}
    rows = [_reg(TT, c, t, on, "Có", pact) for c, t in units.items()]
    people = {"C01": [CSTDCS], "C02": [CSTDCS], "C03": [CSTDCS], "C04": [CSTDT], "C05": [CSTDT], "C06": [LDTT], "C07": [LDTT]}
    rows += [_reg(CN, c, t, D(2024, 1, 12)) for c, t in people.items()]
    return {"settings": keyed({"rotation": "Theo thứ tự luân phiên", "rotation_order": "PTH; LGI; TPH; HTN; PQY"}),
            Y.REGISTRATION: rows}


def _ty_le() -> dict[str, Any]:
    on, pact = D(2025, 2, 5), D(2025, 2, 12)
    rows = [_reg(TT, f"P0{i}", [TTLDTT], on, "Không" if i == 7 else "Có", None if i == 7 else pact) for i in range(1, 9)]
    return {"settings": keyed({"rotation": "Bầu tại hội nghị tổng kết", "next_leader": "P02",
                         "next_deputy": "P06"}),
            Y.REGISTRATION: rows}


SAMPLES = {"so-nganh-100": _so_nganh, "thang-1000": _thang_1000, "ty-le-bac-thuong": _ty_le}


def year_sample(sample_name: str) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """(settings by label, records by sheet name) of a sample's year sheets."""
    data = SAMPLES[sample_name]()
    return data["settings"], {k: v for k, v in data.items() if k != "settings"}
