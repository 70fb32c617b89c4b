"""Vietnamese words the simulator writes: people's names, sending units, obstacle descriptions."""

from __future__ import annotations

import random

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Lò",
    "Quàng",
    "Hà",
)
MIDDLE_NAMES = (
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Thanh",
    "Hữu",
    "Quốc",
    "Ngọc",
    "Thu",
    "Hoài",
    "Xuân",
    "Kim",
    "Bảo",
    "Công",
    "Thùy",
)
GIVEN_NAMES = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngọc",
    "Phong",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thảo",
    "Trang",
    "Trung",
    "Tuấn",
    "Tùng",
    "Vân",
    "Việt",
    "Yến",
    "Đông",
    "Thủy",
    "Lợi",
    "Kiên",
)

# Department of the province that sends officials for each field (province → commune secondments).
DEPARTMENT_OF_FIELD = {
    "van_phong": "Văn phòng UBND",
    "tu_phap": "Sở Tư pháp",
    "cntt_chuyen_doi_so": "Sở Khoa học và Công nghệ",
    "tai_chinh_ke_toan": "Sở Tài chính",
    "xay_dung_giao_thong": "Sở Xây dựng",
    "cong_thuong": "Sở Công Thương",
    "nong_nghiep_moi_truong": "Sở Nông nghiệp và Môi trường",
    "dat_dai": "Sở Nông nghiệp và Môi trường",
    "noi_vu": "Sở Nội vụ",
    "lao_dong_xa_hoi": "Sở Nội vụ",
    "van_hoa_thong_tin": "Sở Văn hóa, Thể thao và Du lịch",
    "giao_duc": "Sở Giáo dục và Đào tạo",
    "y_te": "Sở Y tế",
    "dan_toc_ton_giao": "Sở Dân tộc và Tôn giáo",
    "hanh_chinh_cong": "Trung tâm Phục vụ hành chính công",
}

# Fields provinces second officials in (Điện Biên's list in the news, plus a few).
SECONDMENT_FIELDS = (
    "cntt_chuyen_doi_so",
    "cntt_chuyen_doi_so",
    "cong_thuong",
    "xay_dung_giao_thong",
    "lao_dong_xa_hoi",
    "noi_vu",
    "tu_phap",
    "nong_nghiep_moi_truong",
    "dat_dai",
    "dat_dai",
    "van_hoa_thong_tin",
    "tai_chinh_ke_toan",
)

DESCRIPTIONS = {
    "to_chuc_bo_may": (
        "Chưa có hướng dẫn sắp xếp các phòng chuyên môn thuộc UBND xã",
        "Chức năng, nhiệm vụ của phòng Kinh tế còn chồng chéo",
    ),
    "nhan_su": (
        "Thiếu công chức chuyên môn lĩnh vực đất đai, xây dựng",
        "Chưa bố trí được cán bộ phụ trách công nghệ thông tin",
        "Công chức được điều động từ cấp huyện chưa quen nhiệm vụ cấp xã",
    ),
    "so_luong_cap_pho": (
        "Số lượng Phó Chủ tịch UBND xã vượt quy định sau sáp nhập",
        "Chưa có lộ trình giảm số lượng cấp phó dôi dư",
    ),
    "che_do_chinh_sach": (
        "Chưa chi trả chế độ nghỉ việc theo Nghị định 178/2024/NĐ-CP",
        "Vướng mắc xếp lương, phụ cấp chức vụ cho công chức cấp xã mới",
        "Chưa có hướng dẫn thực hiện Nghị định 67/2025/NĐ-CP",
    ),
    "tai_chinh_ke_toan": (
        "Chưa mở được tài khoản giao dịch tại Kho bạc cho đơn vị mới",
        "Thiếu kế toán, chưa bàn giao sổ sách tài chính của các xã cũ",
    ),
    "tru_so_tai_san": (
        "Trụ sở làm việc chật, không đủ phòng cho công chức",
        "Chưa có phương án xử lý trụ sở dôi dư sau sắp xếp",
    ),
    "phuong_tien_thiet_bi": (
        "Thiếu máy tính, máy scan phục vụ giải quyết thủ tục",
        "Chưa được bố trí xe công phục vụ công tác",
    ),
    "du_lieu_ha_tang_so": (
        "Đường truyền Internet chập chờn, mất kết nối hệ thống",
        "Chưa đồng bộ dữ liệu hộ tịch giữa các xã cũ",
    ),
    "chuyen_doi_so": (
        "Phần mềm quản lý văn bản chưa cấp tài khoản cho công chức mới",
        "Chữ ký số chưa được cấp cho lãnh đạo xã",
    ),
    "thu_tuc_hanh_chinh": (
        "Hệ thống giải quyết thủ tục hành chính chưa cập nhật tên đơn vị mới",
        "Người dân phải đi lại xa để làm thủ tục đất đai",
    ),
    "ban_hanh_van_ban": (
        "Chưa có mẫu văn bản, con dấu mới của UBND xã",
        "Vướng mắc thẩm quyền ban hành quyết định của xã mới",
    ),
    "phan_cap_tham_quyen": (
        "Chưa rõ thẩm quyền cấp giấy phép xây dựng sau khi bỏ cấp huyện",
        "Nhiệm vụ cấp huyện chuyển về xã chưa có hướng dẫn",
    ),
    "dat_dai": (
        "Tồn đọng hồ sơ cấp giấy chứng nhận quyền sử dụng đất",
        "Chưa bàn giao hồ sơ địa chính từ Văn phòng đăng ký đất đai",
    ),
    "khac": (
        "Khó khăn trong việc bố trí nơi ở cho công chức đi xa",
        "Kiến nghị khác của UBND xã",
    ),
}


def person_name(rng: random.Random) -> str:
    """A plausible Vietnamese full name."""
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
