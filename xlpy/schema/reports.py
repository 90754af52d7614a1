"""Settings of the reports (Decree 30/2020 documents): issuing body, numbers, signer, text."""

from __future__ import annotations

from .base import Setting

F = "reports"
SETTINGS_SPECS: tuple[Setting, ...] = (
    Setting("Cơ quan chủ quản", "parent_body", "text", "", "Dòng trên của tên cơ quan ban hành, ví dụ UBND TỈNH QUẢNG NAM", feature=F),
    Setting("Cơ quan ban hành", "issuing_body", "text", "", "Tên cơ quan ban hành báo cáo; để trống = tên khối", feature=F),
    Setting("Số văn bản", "doc_number", "text", "", "Số của báo cáo; để trống để ghi tay khi vào sổ", feature=F),
    Setting("Ký hiệu văn bản", "doc_symbol", "text", "BC-KTĐ", "Phần sau dấu / của số, ví dụ BC-KTĐ", feature=F),
    Setting("Địa danh", "place", "text", "", "Địa danh ghi trước ngày tháng, ví dụ Quảng Nam", feature=F),
    Setting("Ngày ký báo cáo", "report_date", "date", None, "Để trống = ngày xét", feature=F),
    Setting("Thẩm quyền ký", "signer_authority", "text", "TM. KHỐI THI ĐUA", "Ví dụ TM. KHỐI THI ĐUA", feature=F),
    Setting("Chức vụ người ký", "signer_title", "text", "TRƯỞNG KHỐI", "Ví dụ TRƯỞNG KHỐI", feature=F),
    Setting("Người ký", "signer_name", "text", "", "Họ và tên, không ghi học hàm, học vị", feature=F),
    Setting("Nơi nhận", "recipients", "list", ("Ban Thi đua - Khen thưởng tỉnh", "Các đơn vị trong Khối"),
            "Cách nhau bằng dấu ; (dòng Lưu: VT tự thêm)", feature=F),
    Setting("Ưu điểm", "strengths", "text", "", "Đoạn đánh giá ưu điểm; xuống dòng = đoạn mới", feature=F),
    Setting("Tồn tại, hạn chế", "limits", "text", "", "Đoạn đánh giá tồn tại, hạn chế", feature=F),
    Setting("Phương hướng", "directions", "text", "", "Phương hướng, nhiệm vụ kỳ tới", feature=F),
)
