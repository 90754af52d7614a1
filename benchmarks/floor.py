"""The floor: the plainest read-compute-write a programmer would write for the same job.

    python benchmarks/floor.py BOOK.xlsx OUT.xlsx

python-calamine reads the criteria and the three review sheets (self, block, office), numpy
takes each cell's last entered review (office over block over self), computes weighted
totals (rounded to 2 decimals), competition ranks and the 90/70/50 % classes, xlsxwriter
writes a results sheet (code, name, points per criterion, total, rank, class) to a new
file.  No validation, no caps, no ties explained, no styles, the input left alone: the cost
of the job itself on the same data, which xlpy's figures are compared to.
"""

from __future__ import annotations

import sys

import numpy as np
import python_calamine
import xlsxwriter


def main(book: str, out: str) -> None:
    wb = python_calamine.CalamineWorkbook.from_path(book)
    crit = wb.get_sheet_by_name("Tiêu chí").to_python()
    head = crit[0]
    i_code, i_max, i_w = head.index("Mã"), head.index("Điểm tối đa"), head.index("Trọng số")
    codes = [str(r[i_code]) for r in crit[1:] if r[i_code] != ""]
    weights = np.array([float(r[i_w] or 1.0) for r in crit[1:] if r[i_code] != ""])
    maximum = float(np.sum(np.array([float(r[i_max]) for r in crit[1:] if r[i_code] != ""]) * weights))
    pts = None
    for name in ("Tự chấm", "Khối chấm", "Ban TĐKT chấm"):  # later reviews override earlier ones
        rows = wb.get_sheet_by_name(name).to_python()
        cols = [rows[0].index(c) for c in codes]
        stage = np.array([[r[j] if r[j] != "" else np.nan for j in cols] for r in rows[1:]], dtype=float)
        if pts is None:
            pts, data = stage, rows[1:]
        else:
            pts = np.where(np.isnan(stage), pts, stage)
    pts = np.nan_to_num(pts)
    total = np.round(pts @ weights, 2)
    order = np.argsort(-total, kind="stable")
    rank = np.empty(len(total), dtype=int)
    sorted_t = total[order]
    first = np.r_[True, sorted_t[1:] != sorted_t[:-1]]
    rank[order] = np.maximum.accumulate(np.where(first, np.arange(len(total)), 0)) + 1
    pct = total / maximum * 100
    classes = np.select([pct >= 90, pct >= 70, pct >= 50], ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                                                              "Hoàn thành nhiệm vụ"], "Không hoàn thành nhiệm vụ")
    x = xlsxwriter.Workbook(out)
    ws = x.add_worksheet("Kết quả")
    ws.write_row(0, 0, ["Mã đơn vị", "Tên đơn vị", *codes, "Tổng điểm", "Hạng", "Xếp loại"])
    for k, i in enumerate(order, start=1):
        r = data[i]
        ws.write_row(k, 0, [r[0], r[1], *pts[i].tolist(), float(total[i]), int(rank[i]), str(classes[i])])
    x.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
