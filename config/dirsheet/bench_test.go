package dirsheet

import "testing"

// BenchmarkImportNationwideXLSX reads the nationwide directory (34 provinces, 3,321 communes,
// about 20,000 units) from a workbook against itself as the directory in force, as `danvan
// directory import` does: read, check and build. The issue's budget is 10 s.
func BenchmarkImportNationwideXLSX(b *testing.B) {
	cur := country(b)
	data := mustXLSX(b, cur)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		mustValid(b, "danh-ba.xlsx", data, cur, Options{})
	}
}

// BenchmarkImportNationwideCSV is the same from CSV.
func BenchmarkImportNationwideCSV(b *testing.B) {
	cur := country(b)
	data := mustCSV(b, cur)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		mustValid(b, "danh-ba.csv", data, cur, Options{})
	}
}

// BenchmarkExportNationwideXLSX writes the nationwide directory as a workbook, as /directory
// and `danvan directory export` do.
func BenchmarkExportNationwideXLSX(b *testing.B) {
	cur := country(b)
	for b.Loop() {
		mustXLSX(b, cur)
	}
}
