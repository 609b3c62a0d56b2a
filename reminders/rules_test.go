package reminders_test

import (
	"testing"
)

func TestAllowed(t *testing.T) {
	r := testRules()
	tests := []struct{ name, in, want string }{
		{"inside hours", "2026-03-10 10:00", "2026-03-10 10:00"},
		{"before hours", "2026-03-10 06:00", "2026-03-10 07:30"},
		{"at the end", "2026-03-10 20:00", "2026-03-11 07:30"},
		{"sunday", "2026-03-15 09:00", "2026-03-16 07:30"},
		{"saturday night to monday", "2026-03-14 21:00", "2026-03-16 07:30"},
		{"tết", "2026-02-13 20:30", "2026-02-23 07:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Allowed(at(tt.in)); !got.Equal(at(tt.want)) {
				t.Errorf("Allowed(%s): got %s, want %s", tt.in, got.Format("2006-01-02 15:04"), tt.want)
			}
		})
	}
}
