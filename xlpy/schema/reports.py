"""Settings of the reports (Decree 30/2020 documents): issuing body, numbers and symbols of
each document, signer, recipients, legal basis, the report's own text."""

from __future__ import annotations

from .base import Setting

F = "reports"
SETTINGS_SPECS: tuple[Setting, ...] = (
    Setting("Cơ quan chủ quản", "parent_body", "text", "", "Dòng trên của tên cơ quan ban hành, ví dụ UBND TỈNH QUẢNG NAM", feature=F),
    Setting("Cơ quan ban hành", "issuing_body", "text", "", "Tên cơ quan ban hành các văn bản; để trống = tên khối", feature=F),
    Setting("Số văn bản", "doc_number", "text", "", "Số của báo cáo (BC); để trống thì văn bản ghi “Số: ……” để ghi tay khi vào sổ", feature=F),
    Setting("Ký hiệu văn bản", "doc_symbol", "text", "BC-KTĐ", "Ký hiệu của báo cáo, phần sau dấu / của số, ví dụ BC-KTĐ", feature=F),
    Setting("Số tờ trình", "proposal_number", "text", "", "Số của tờ trình đề nghị khen thưởng (TTr); để trống để ghi tay", feature=F),
    Setting("Ký hiệu tờ trình", "proposal_symbol", "text", "TTr-KTĐ", "Ký hiệu của tờ trình đề nghị khen thưởng, ví dụ TTr-KTĐ", feature=F),
    Setting("Kính gửi (tờ trình)", "proposal_addressee", "text", "Ban Thi đua - Khen thưởng tỉnh",
        "Cơ quan nhận tờ trình đề nghị khen thưởng", feature=F),
    Setting("Số thông báo", "notice_number", "text", "",
        "Số (số nguyên) của thông báo gửi đơn vị hạng 1; thông báo các đơn vị sau lấy số tiếp theo. Để trống để ghi tay", feature=F),
    Setting("Ký hiệu thông báo", "notice_symbol", "text", "TB-KTĐ", "Ký hiệu của thông báo kết quả gửi từng đơn vị, ví dụ TB-KTĐ", feature=F),
    Setting("Địa danh", "place", "text", "", "Địa danh ghi trước ngày tháng, ví dụ Quảng Nam", feature=F),
    Setting("Ngày ký báo cáo", "report_date", "date", None, "Ngày ký các văn bản; để trống = ngày xét", feature=F),
    Setting("Thẩm quyền ký", "signer_authority", "text", "TM. KHỐI THI ĐUA", "Ví dụ TM. KHỐI THI ĐUA", feature=F),
    Setting("Chức vụ người ký", "signer_title", "text", "TRƯỞNG KHỐI", "Ví dụ TRƯỞNG KHỐI", feature=F),
    Setting("Người ký", "signer_name", "text", "", "Họ và tên, không ghi học hàm, học vị", feature=F),
    Setting("Căn cứ của tỉnh",
        "province_basis",
        "list",
        "",
        "Văn bản của tỉnh làm căn cứ (quy chế thi đua, khen thưởng; quy chế cụm, khối; hướng dẫn), ghi đủ số, ngày, "
        "cơ quan ban hành; cách nhau bằng dấu ; hoặc xuống dòng. Để trống = chỉ căn cứ luật, nghị định của bộ quy định khen thưởng", feature=F),
    Setting("Nơi nhận",
        "recipients",
        "list",
        "Ban Thi đua - Khen thưởng tỉnh; Các đơn vị trong Khối",
        "Nơi nhận báo cáo, cách nhau bằng dấu ; (dòng Lưu: VT tự thêm)", feature=F),
    Setting("Nơi nhận tờ trình", "proposal_recipients", "list", "", "Ngoài “Như trên” và “Lưu: VT” (tự thêm), cách nhau bằng dấu ;", feature=F),
    Setting("Nơi nhận thông báo", "notice_recipients", "list", "", "Ngoài “Như trên” và “Lưu: VT” (tự thêm), cách nhau bằng dấu ;", feature=F),
    Setting("Ưu điểm", "strengths", "text", "", "Đoạn đánh giá ưu điểm; xuống dòng = đoạn mới", feature=F),
    Setting("Tồn tại, hạn chế", "limits", "text", "", "Đoạn đánh giá tồn tại, hạn chế", feature=F),
    Setting("Phương hướng", "directions", "text", "", "Phương hướng, nhiệm vụ kỳ tới", feature=F),
    Setting("Thư mục mẫu báo cáo riêng", "report_template_dir", "text", "",
        "Thư mục chứa mẫu văn bản riêng của khối (bao-cao-khoi.docx…); để trống dùng mẫu có sẵn. Đường dẫn tương đối tính "
        "từ thư mục của sổ tính. Mẫu chạy trong hộp cát, chỉ dùng các biến đã liệt kê.", feature=F),
)
