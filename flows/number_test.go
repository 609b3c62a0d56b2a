package flows_test

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"danvan/flows"
)

// mustParseNumber parses s with the default limit and fails the test on any error.
func mustParseNumber(tb testing.TB, s string) int64 {
	tb.Helper()
	n, err := flows.ParseNumber(s, 0)
	if err != nil {
		tb.Fatalf("ParseNumber(%q): got error %v, want a number", s, err)
	}
	return n
}

func TestParseNumberAccepts(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		// Plain and grouped, every separator people use.
		{"1250", 1250}, {"1.250", 1250}, {"1,250", 1250}, {"1 250", 1250},
		{"1\u00a0250", 1250}, {"1\u202f250", 1250}, {"1\u2009250", 1250},
		{"1.250.000", 1_250_000}, {"1,250,000", 1_250_000}, {"1 250 000", 1_250_000},
		{"10.000.000", 10_000_000}, {"12 150", 12150}, {"999.999", 999_999},
		{"１２５０", 1250}, {"１．２５０", 1250}, {"1️⃣2️⃣", 12},
		// Zero, leading zeros, signs.
		{"0", 0}, {"00", 0}, {"007", 7}, {"+5", 5}, {"+ 1.250", 1250}, {"0.000", 0}, {"0,0", 0},
		// Whole numbers with an empty decimal part.
		{"1250,0", 1250}, {"1250,00", 1250}, {"1250.0", 1250}, {"1.0", 1}, {"5,00", 5},
		{"1 250,0", 1250},
		// Words, emoji and punctuation around one number.
		{"1250 người", 1250}, {"1250người", 1250}, {"khoảng 1.250", 1250}, {"khoang 1250", 1250},
		{"~1250", 1250}, {"≈ 1.250", 1250}, {"1.250 hội viên", 1250}, {"gần 1.250", 1250},
		{"1250👍", 1250}, {"👍 1250 👍", 1250}, {"1250.", 1250}, {"1.250.", 1250},
		{"(1.250)", 1250}, {"\"1250\"", 1250}, {"1250...", 1250}, {"ừm...5", 5},
		{"Có 1.250 đoàn viên ạ", 1250}, {"KHOẢNG 1.250 NGƯỜI", 1250}, {"1000+", 1000},
		{"1.250đ", 1250}, {"85%", 85}, {"5km", 5}, {"\t 42 \n", 42}, {"KH-109", 109},
		{"Hội viên: 1.250", 1250}, {"- Hội viên: 1250", 1250},
		{"khoa\u0309ng 1.250", 1250}, // decomposed diacritics
		{"\ufeff1250", 1250},
		// Multiplier words.
		{"2 nghìn", 2000}, {"2 nghin", 2000}, {"2 ngàn", 2000}, {"2 Nghìn", 2000}, {"5k", 5000},
		{"5 K", 5000}, {"1,5 triệu", 1_500_000}, {"1.5 triệu", 1_500_000}, {"1,5tr", 1_500_000},
		{"2 trieu", 2_000_000}, {"1,25 nghìn", 1250}, {"1,5k", 1500}, {"3 chục", 30},
		{"5 trăm", 500}, {"5 trăm nghìn", 500_000}, {"1 250 nghìn", 1_250_000},
		{"1.250.000 k", 1_250_000_000}, {"0,500 triệu", 500_000}, {"1250 nghìn người", 1_250_000},
		// "none".
		{"không", 0}, {"khong", 0}, {"Không.", 0}, {"KHÔNG", 0}, {"không có", 0},
		{"khong co", 0}, {"không có ai cả", 0}, {"ko", 0}, {"không ạ", 0}, {"không có 👍", 0},
	}
	for _, tt := range tests {
		got, err := flows.ParseNumber(tt.in, 2_000_000_000)
		if err != nil || got != tt.want {
			t.Errorf("ParseNumber(%q): got %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseNumberRefuses(t *testing.T) {
	tests := []struct {
		in   string
		want flows.NumberError
	}{
		{"", flows.ErrEmpty}, {"   ", flows.ErrEmpty}, {"\t\n", flows.ErrEmpty},
		{"\u00a0", flows.ErrEmpty}, {"\u200d", flows.ErrEmpty},

		{"abc", flows.ErrNotNumber}, {"???", flows.ErrNotNumber}, {"👍", flows.ErrNotNumber},
		{"N/A", flows.ErrNotNumber}, {"-", flows.ErrNotNumber}, {"không biết", flows.ErrNotNumber},
		{"có", flows.ErrNotNumber}, {"một nghìn", flows.ErrNotNumber}, {"nghìn", flows.ErrNotNumber},
		{"\xff\xfe", flows.ErrNotNumber}, {"٣", flows.ErrNotNumber}, {"1250 ٣", flows.ErrNotNumber},
		{"chưa", flows.ErrNotNumber}, {"½", flows.ErrNotNumber},

		{"-5", flows.ErrNegative}, {"−5", flows.ErrNegative}, {"- 5", flows.ErrNegative},
		{"âm 5", flows.ErrNegative}, {"am 5", flows.ErrNegative}, {"-1.250", flows.ErrNegative},
		{"-0", flows.ErrNegative}, {"khoảng -5 người", flows.ErrNegative}, {"-1,5", flows.ErrNegative},
		{"－５", flows.ErrNegative}, {"-.5", flows.ErrNegative},

		{"1.5", flows.ErrFraction}, {"1,5", flows.ErrFraction}, {"1,25", flows.ErrFraction},
		{"12.5", flows.ErrFraction}, {"2,75", flows.ErrFraction}, {"0,5", flows.ErrFraction},
		{"0.250", flows.ErrFraction}, {".5", flows.ErrFraction}, {",5", flows.ErrFraction},
		{"khoảng ,5", flows.ErrFraction}, {"1 250,5", flows.ErrFraction},
		{"1250.5 người", flows.ErrFraction}, {"1,5555 x", flows.ErrAmbiguous},
		{"1,2345 k", flows.ErrAmbiguous}, {"1,0005 triệu", flows.ErrAmbiguous},
		{"0,0005 triệu", flows.ErrAmbiguous}, {"1,55 chục", flows.ErrFraction},

		{"1.250,5", flows.ErrAmbiguous}, {"1,250.000", flows.ErrAmbiguous},
		{"1.250,0", flows.ErrAmbiguous}, {"1.250,00", flows.ErrAmbiguous},
		{"12.34.5", flows.ErrAmbiguous}, {"12.34.567", flows.ErrAmbiguous},
		{"1.2500", flows.ErrAmbiguous}, {"1250.000", flows.ErrAmbiguous},
		{"12345,678", flows.ErrAmbiguous}, {"01.250", flows.ErrAmbiguous},
		{"1..250", flows.ErrAmbiguous}, {"1.,250", flows.ErrAmbiguous},
		{"1.250.00", flows.ErrAmbiguous}, {"1 250.000", flows.ErrAmbiguous},
		{"1,250 triệu", flows.ErrAmbiguous}, {"1.250 nghìn", flows.ErrAmbiguous},
		{"0.000.000", flows.ErrAmbiguous},

		{"10.000.001", flows.ErrTooLarge}, {"99999999999999999999", flows.ErrTooLarge},
		{strings.Repeat("9", 1000), flows.ErrTooLarge}, {"9223372036854775808", flows.ErrTooLarge},
		{"1 tỷ", flows.ErrTooLarge}, {"11 triệu", flows.ErrTooLarge}, {"1 tỷ tỷ tỷ", flows.ErrTooLarge},
		{"999.999.999.999.999.999.999", flows.ErrTooLarge},
		{"99999999999999999999,5", flows.ErrTooLarge},
		// Long inputs must stay linear: these took seconds when spans were re-checked per group.
		{strings.Repeat("123 ", 100_000), flows.ErrTooLarge},
		{strings.Repeat("1 ", 100_000), flows.ErrSeveral},

		{"12 15", flows.ErrSeveral}, {"từ 10 đến 20", flows.ErrSeveral}, {"10-20", flows.ErrSeveral},
		{"10 - 20", flows.ErrSeveral}, {"12/15", flows.ErrSeveral}, {"1250 (2023)", flows.ErrSeveral},
		{"0912 345 678", flows.ErrSeveral}, {"1 2500", flows.ErrSeveral}, {"1250\n300", flows.ErrSeveral},
		{"1  250", flows.ErrSeveral}, {"2 nghìn 500", flows.ErrSeveral}, {"1, 250", flows.ErrSeveral},
		{"0 250", flows.ErrSeveral}, {"-5 -6", flows.ErrSeveral}, {"1k5", flows.ErrSeveral},
		{"12 1.250", flows.ErrSeveral},
	}
	for _, tt := range tests {
		got, err := flows.ParseNumber(tt.in, 0)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseNumber(%q): got %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseNumberLimit(t *testing.T) {
	tests := []struct {
		in   string
		max  int64
		want error
	}{
		{"100", 100, nil}, {"101", 100, flows.ErrTooLarge}, {"1.250", 1000, flows.ErrTooLarge},
		{"10.000.000", 0, nil}, {"10.000.000", -1, nil}, {"10.000.001", -1, flows.ErrTooLarge},
		{"9.223.372.036.854.775.807", math.MaxInt64, nil},
		{"9.223.372.036.854.775.808", math.MaxInt64, flows.ErrTooLarge},
		{"0", 1, nil}, {"không", 1, nil},
		// A decimal digit must not overflow a whole part that fits (found by the fuzz seeds).
		{"9223372036854775807,0", math.MaxInt64, nil},
		{"9223372036854775807,5", math.MaxInt64, flows.ErrFraction},
		{"9.223.372.036.854.775.807,5", math.MaxInt64, flows.ErrAmbiguous},
		{"0,5 tỷ tỷ", math.MaxInt64, nil}, {"0,05 tỷ tỷ", math.MaxInt64, nil},
		{"9,5 tỷ tỷ", math.MaxInt64, flows.ErrTooLarge}, {"0,5 tỷ tỷ tỷ", math.MaxInt64, flows.ErrTooLarge},
	}
	for _, tt := range tests {
		_, err := flows.ParseNumber(tt.in, tt.max)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseNumber(%q, %d): got %v, want %v", tt.in, tt.max, err, tt.want)
		}
	}
}

func TestNumberErrorIs(t *testing.T) {
	_, err := flows.ParseNumber("1,5", 0)
	var ne flows.NumberError
	if !errors.As(err, &ne) || ne != flows.ErrFraction {
		t.Errorf("errors.As: got %v, want %v", ne, flows.ErrFraction)
	}
	wrapped := fmt.Errorf("answer: %w", err)
	if !errors.Is(wrapped, flows.ErrFraction) || errors.Is(wrapped, flows.ErrAmbiguous) {
		t.Errorf("errors.Is on wrapped %v: got wrong match", wrapped)
	}
	seen := map[string]bool{}
	for e := flows.ErrEmpty; e <= flows.ErrSeveral; e++ {
		msg := e.Error()
		if msg == "" || seen[msg] {
			t.Errorf("NumberError(%d).Error(): got %q, want a distinct message", int(e), msg)
		}
		seen[msg] = true
	}
	if got := flows.NumberError(99).Error(); !strings.Contains(got, "99") {
		t.Errorf("NumberError(99).Error(): got %q, want it to name 99", got)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"}, {5, "5"}, {999, "999"}, {1000, "1.000"}, {1250, "1.250"}, {12500, "12.500"},
		{125000, "125.000"}, {1250000, "1.250.000"}, {10_000_000, "10.000.000"},
		{-5, "-5"}, {-1250, "-1.250"}, {-999, "-999"}, {-1000, "-1.000"},
		{math.MaxInt64, "9.223.372.036.854.775.807"}, {math.MinInt64, "-9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		if got := flows.FormatNumber(tt.in); got != tt.want {
			t.Errorf("FormatNumber(%d): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFormatNumberRoundTrip(t *testing.T) {
	for _, n := range []int64{0, 1, 999, 1000, 1250, 99_999, 1_250_000, math.MaxInt64} {
		s := flows.FormatNumber(n)
		if got, err := flows.ParseNumber(s, math.MaxInt64); err != nil || got != n {
			t.Errorf("ParseNumber(FormatNumber(%d) = %q): got %v, %v, want %v", n, s, got, err, n)
		}
	}
	if got := mustParseNumber(t, "khoảng "+flows.FormatNumber(1250)+" người"); got != 1250 {
		t.Errorf("got %v, want %v", got, 1250)
	}
}

// numberForms writes n every way a person might type it; each must parse back to n.
func numberForms(n int64) []string {
	plain := strconv.FormatInt(n, 10)
	dots := flows.FormatNumber(n)
	wide := strings.Map(func(r rune) rune { return r - '0' + '０' }, plain)
	return []string{
		plain, dots, strings.ReplaceAll(dots, ".", ","), strings.ReplaceAll(dots, ".", " "),
		strings.ReplaceAll(dots, ".", "\u00a0"), strings.ReplaceAll(dots, ".", "\u202f"),
		wide, "khoảng " + dots + " người", "~" + plain, "+" + plain, dots + "👍", plain + ",0",
		"gần " + strings.ReplaceAll(dots, ".", ",") + " hội viên.",
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"1250", "1.250", "1,250", "1 250", "1\u00a0250", "khoảng 1.250", "1.250 người", "１２５０",
		"1.5", "1,5", "1.250,5", "12.34.5", "-5", "âm 5", "12 15", "không có", "👍", "N/A",
		"1,5 triệu", "5k", "99999999999999999999", "\xff1\xfe", ".5", "1..250", "",
	} {
		f.Add(s, int64(1250), int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, n, max int64) {
		limit := max
		if limit <= 0 {
			limit = flows.MaxNumber
		}
		got, err := flows.ParseNumber(s, max)
		checkParsed(t, s, got, err, limit)
		checkWider(t, s, got, err)
		if n < 0 {
			n = -(n + 1)
		}
		if limit < math.MaxInt64 {
			n %= limit + 1
		}
		checkForms(t, n, max)
	})
}

// checkParsed holds for every input: a NumberError, or a number within the limit.
func checkParsed(t *testing.T, s string, got int64, err error, limit int64) {
	t.Helper()
	var ne flows.NumberError
	switch {
	case err == nil && (got < 0 || got > limit):
		t.Errorf("ParseNumber(%q): got %v, want within [0, %d]", s, got, limit)
	case err != nil && (!errors.As(err, &ne) || ne < flows.ErrEmpty || ne > flows.ErrSeveral):
		t.Errorf("ParseNumber(%q): got error %#v, want a NumberError", s, err)
	case err != nil && got != 0:
		t.Errorf("ParseNumber(%q): got %v with error %v, want 0", s, got, err)
	}
}

// checkWider: the limit may only turn a number into ErrTooLarge, never change how s reads.
func checkWider(t *testing.T, s string, got int64, err error) {
	t.Helper()
	wide, werr := flows.ParseNumber(s, math.MaxInt64)
	switch {
	case err == nil && (werr != nil || wide != got):
		t.Errorf("ParseNumber(%q, max): got %v, %v, want %v", s, wide, werr, got)
	case err != nil && !errors.Is(err, flows.ErrTooLarge) && !errors.Is(werr, err):
		t.Errorf("ParseNumber(%q, max): got %v, %v, want %v", s, wide, werr, err)
	}
}

func checkForms(t *testing.T, n, max int64) {
	t.Helper()
	for _, s := range numberForms(n) {
		if got, err := flows.ParseNumber(s, max); err != nil || got != n {
			t.Errorf("ParseNumber(%q, %d): got %v, %v, want %v", s, max, got, err, n)
		}
	}
	plain := strconv.FormatInt(n, 10)
	if _, err := flows.ParseNumber("-"+plain, max); !errors.Is(err, flows.ErrNegative) {
		t.Errorf("ParseNumber(%q): got %v, want %v", "-"+plain, err, flows.ErrNegative)
	}
	if _, err := flows.ParseNumber(plain+",5", max); !errors.Is(err, flows.ErrFraction) {
		t.Errorf("ParseNumber(%q): got %v, want %v", plain+",5", err, flows.ErrFraction)
	}
	if _, err := flows.ParseNumber(plain+" và "+plain, max); !errors.Is(err, flows.ErrSeveral) {
		t.Errorf("ParseNumber(%q): got %v, want %v", plain+" và "+plain, err, flows.ErrSeveral)
	}
}

func ExampleParseNumber() {
	for _, s := range []string{"1.250", "khoảng 1,250 người", "1,5 triệu", "1,5", "12 15"} {
		n, err := flows.ParseNumber(s, 0)
		fmt.Println(n, err)
	}
	// Output:
	// 1250 <nil>
	// 1250 <nil>
	// 1500000 <nil>
	// 0 number: not a whole number
	// 0 number: several numbers
}

func ExampleFormatNumber() {
	fmt.Println(flows.FormatNumber(1250000))
	// Output: 1.250.000
}
