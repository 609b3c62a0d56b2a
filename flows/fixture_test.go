package flows

import (
	"testing"
	"time"
	_ "time/tzdata"
)

// testLoc is the zone of every test calendar.
var testLoc = mustLoc(nil, "Asia/Ho_Chi_Minh")

func mustLoc(tb testing.TB, name string) *time.Location {
	if tb != nil {
		tb.Helper()
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func testCalendar() Calendar {
	return Calendar{Loc: testLoc, Specs: []PeriodSpec{
		{Kind: Q1, Name: Text{Vi: "Quý I", En: "Q1"}, Due: MonthDay{3, 15}, OpenDays: 30, CloseDays: 60},
		{Kind: H1, Name: Text{Vi: "6 tháng đầu", En: "First half"}, Due: MonthDay{6, 15}, OpenDays: 30, CloseDays: 60},
		{Kind: Q3, Name: Text{Vi: "9 tháng", En: "Nine months"}, Due: MonthDay{9, 15}, OpenDays: 30, CloseDays: 60},
		{Kind: Year, Name: Text{Vi: "Năm", En: "Year"}, Due: MonthDay{11, 15}, OpenDays: 30, CloseDays: 60},
	}}
}

func testForms() []Form {
	return []Form{
		{ID: "membership", Title: Text{Vi: "Hội viên", En: "Membership"}, Questions: []Question{
			{ID: "eligible", Label: Text{Vi: "Số quần chúng trong diện tập hợp", En: "Eligible people"}, SoftChange: 0.5},
			{ID: "members", Label: Text{Vi: "Số hội viên", En: "Members"}, LE: "eligible", SoftChange: 0.5},
			{ID: "new_members", Label: Text{Vi: "Kết nạp mới", En: "New members"}, LE: "members"},
			{ID: "active", Label: Text{Vi: "Sinh hoạt thường xuyên", En: "Active members"}, LE: "members"},
			{ID: "branches", Label: Text{Vi: "Số chi hội", En: "Branches"}, Periods: []PeriodKind{Year}},
			{ID: "branches_good", Label: Text{Vi: "Chi hội hoàn thành tốt", En: "Branches rated good"}, LE: "branches", Periods: []PeriodKind{Year}},
		}},
		{ID: "activities", Title: Text{Vi: "Hoạt động", En: "Activities"}, Questions: []Question{
			{ID: "meetings", Label: Text{Vi: "Số buổi sinh hoạt", En: "Meetings"}},
			{ID: "models", Label: Text{Vi: "Mô hình Dân vận khéo", En: "Dân vận khéo models"}, Register: RegisterModels},
			{ID: "petitions", Label: Text{Vi: "Kiến nghị tiếp nhận", En: "Petitions received"}},
			{ID: "resolved", Label: Text{Vi: "Kiến nghị đã giải quyết", En: "Petitions resolved"}, LE: "petitions"},
			// The written answers are asked in the written sơ kết and tổng kết reports only.
			{ID: "results", Type: TextQuestion, Label: Text{Vi: "Kết quả nổi bật", En: "Notable results"}, Optional: true, Periods: []PeriodKind{H1, Year}},
			{ID: "shortcomings", Type: TextQuestion, Label: Text{Vi: "Hạn chế, khó khăn", En: "Shortcomings"}, Optional: true, MaxLen: 300, Periods: []PeriodKind{H1, Year}},
			{ID: "proposals", Type: TextQuestion, Label: Text{Vi: "Đề xuất, kiến nghị", En: "Proposals"}, Optional: true, Periods: []PeriodKind{H1, Year}},
		}},
	}
}

func testIndicators() []Indicator {
	return []Indicator{
		{ID: "1.5", Name: Text{Vi: "Tỷ lệ tập hợp", En: "Gathered"}, Form: "membership", Num: "members", Den: "eligible", Min: 0.85},
		{ID: "1.6", Name: Text{Vi: "Sinh hoạt thường xuyên", En: "Active"}, Form: "membership", Num: "active", Den: "members", Min: 0.9},
		{ID: "1.7", Name: Text{Vi: "Chi hội hoàn thành tốt", En: "Branches good"}, Form: "membership", Num: "branches_good", Den: "branches", Min: 0.9},
		{ID: "1.4", Name: Text{Vi: "Có mô hình", En: "Has a model"}, Form: "activities", Num: "models", Min: 1, Share: 0.95},
		{ID: "1.4b", Name: Text{Vi: "Có điển hình", En: "Has exemplars"}, Form: "activities", Num: "exemplars", Min: 1, Share: 0.95},
		{ID: "kn", Name: Text{Vi: "Kiến nghị đã giải quyết", En: "Petitions resolved"}, Form: "activities", Num: "resolved", Den: "petitions", Info: true},
	}
}

// testRegister is the register's data: two of the fields of Kết luận 69-KL/TU and the levels.
func testRegister() Register {
	return Register{
		Fields: []ModelField{
			{ID: "kinhte", Name: Text{Vi: "Phát triển kinh tế, xóa bỏ tập quán lạc hậu", En: "Economy and backward practices"}},
			{ID: "rung", Name: Text{Vi: "Bảo vệ và phát triển rừng", En: "Forests"}},
		},
		Levels: []ModelLevel{
			{ID: "xa", Name: Text{Vi: "cấp xã", En: "commune"}},
			{ID: "tinh", Name: Text{Vi: "cấp tỉnh", En: "province"}},
		},
	}
}

// testChannels are the platforms the tests' host runs, as main hands them in.
func testChannels() []Channel {
	return []Channel{{ID: "tg", Name: "telegram", Label: "Telegram", Uploads: true}, {ID: "zalo", Name: "zalo", Label: "Zalo"}}
}

func mustDirectory(tb testing.TB) *Directory {
	tb.Helper()
	d, err := NewDirectory(
		[]Org{
			{ID: "phunu", Short: Text{Vi: "Hội LHPN", En: "Women's Union"}, Name: Text{Vi: "Hội Liên hiệp Phụ nữ"}},
			{ID: "doan", Short: Text{Vi: "Đoàn TN", En: "Youth Union"}, Name: Text{Vi: "Đoàn TNCS Hồ Chí Minh"}},
		},
		[]Node{
			{ID: "laichau", Name: Text{Vi: "Thành phố Lai Châu", En: "Lai Châu city"}},
			{ID: "tanphong", Name: Text{Vi: "Phường Tân Phong", En: "Tân Phong ward"}, Parent: "laichau"},
			{ID: "santhang", Name: Text{Vi: "Xã San Thàng", En: "San Thàng commune"}, Parent: "laichau"},
			{ID: "tanphong-phunu", Name: Text{Vi: "Hội LHPN phường Tân Phong"}, Parent: "tanphong", Org: "phunu"},
			{ID: "tanphong-doan", Name: Text{Vi: "Đoàn phường Tân Phong"}, Parent: "tanphong", Org: "doan"},
			{ID: "santhang-phunu", Name: Text{Vi: "Hội LHPN xã San Thàng"}, Parent: "santhang", Org: "phunu"},
		})
	if err != nil {
		tb.Fatalf("directory: %v", err)
	}
	return d
}

// mergerDirectory is a province whose old city ended on 30 June 2025: its wards Tân Phong and
// Đông Phong and its commune San Thàng became the ward Tân Phong of 2025 (lc-tanphong), whose
// units continue the old units of their organisation; Mường Kim is a new commune that continues
// nothing in this directory.
func mergerDirectory(tb testing.TB) *Directory {
	tb.Helper()
	old, from := Date(20250630), Date(20250701)
	d, err := NewDirectory(
		[]Org{
			{ID: "phunu", Short: Text{Vi: "Hội LHPN", En: "Women's Union"}, Name: Text{Vi: "Hội Liên hiệp Phụ nữ"}},
			{ID: "doan", Short: Text{Vi: "Đoàn TN", En: "Youth Union"}, Name: Text{Vi: "Đoàn TNCS Hồ Chí Minh"}},
		},
		[]Node{
			{ID: "lc", Name: Text{Vi: "Tỉnh Lai Châu", En: "Lai Châu province"}},
			{ID: "laichau", Name: Text{Vi: "Thành phố Lai Châu", En: "Lai Châu city"}, Parent: "lc", ValidTo: old},
			{ID: "tanphong", Name: Text{Vi: "Phường Tân Phong (cũ)"}, Parent: "laichau"},
			{ID: "dongphong", Name: Text{Vi: "Phường Đông Phong"}, Parent: "laichau"},
			{ID: "santhang", Name: Text{Vi: "Xã San Thàng"}, Parent: "laichau"},
			{ID: "tanphong-phunu", Name: Text{Vi: "Hội LHPN phường Tân Phong"}, Parent: "tanphong", Org: "phunu"},
			{ID: "tanphong-doan", Name: Text{Vi: "Đoàn phường Tân Phong"}, Parent: "tanphong", Org: "doan"},
			{ID: "dongphong-phunu", Name: Text{Vi: "Hội LHPN phường Đông Phong"}, Parent: "dongphong", Org: "phunu"},
			{ID: "santhang-phunu", Name: Text{Vi: "Hội LHPN xã San Thàng"}, Parent: "santhang", Org: "phunu"},
			{ID: "lc-tanphong", Name: Text{Vi: "Phường Tân Phong", En: "Tân Phong ward"}, Parent: "lc", ValidFrom: from,
				MergedFrom: []string{"tanphong", "dongphong", "santhang"}},
			{ID: "lc-tanphong-phunu", Name: Text{Vi: "Hội LHPN phường Tân Phong"}, Parent: "lc-tanphong", Org: "phunu"},
			{ID: "lc-tanphong-doan", Name: Text{Vi: "Đoàn phường Tân Phong"}, Parent: "lc-tanphong", Org: "doan"},
			{ID: "lc-muongkim", Name: Text{Vi: "Xã Mường Kim", En: "Mường Kim commune"}, Parent: "lc", ValidFrom: from},
			{ID: "lc-muongkim-phunu", Name: Text{Vi: "Hội LHPN xã Mường Kim"}, Parent: "lc-muongkim", Org: "phunu"},
		})
	if err != nil {
		tb.Fatalf("merger directory: %v", err)
	}
	return d
}
