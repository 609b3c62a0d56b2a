package transport

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// Split measures with the width it is given: Telegram's UTF-16 units count an emoji twice,
// Zalo's characters once.
func TestSplitWidth(t *testing.T) {
	emoji := strings.Repeat("😀", 30)
	tests := []struct {
		name  string
		text  string
		limit int
		w     Width
		want  []int // characters in each part
	}{
		{"utf-16 emoji", emoji, 40, UTF16, []int{20, 10}},
		{"char emoji", emoji, 40, Char, []int{30}},
		{"lines kept whole", "abc\ndef\nghi", 7, Char, []int{7, 3}},
		{"blank dropped", " \n \n", 10, Char, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for _, p := range Split(tt.text, tt.limit, tt.w) {
				got = append(got, len([]rune(p)))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split: got parts of %v characters, want %v", got, tt.want)
			}
		})
	}
}

// Redact hides the token, plain or path-escaped, and keeps errors.Is working.
func TestRedact(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name, token string
		err         error
		want        string
	}{
		{"plain", "123:abc", fmt.Errorf("post https://x/bot123:abc/getMe: %w", base), "post https://x/bot<token>/getMe: boom"},
		{"escaped", "a b", fmt.Errorf("get /bota%%20b/x: %w", base), "get /bot<token>/x: boom"},
		{"absent", "zzz", base, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Redact(tt.err, tt.token)
			if got.Error() != tt.want || !errors.Is(got, base) {
				t.Errorf("Redact: got %q (is base: %v), want %q", got, errors.Is(got, base), tt.want)
			}
		})
	}
}

// A chat's jobs run in order, one at a time; Wait returns once all are done.
func TestChatQueuesOrder(t *testing.T) {
	q := NewChatQueues(2)
	var mu sync.Mutex
	got := map[string][]int{}
	for i := range 20 {
		key := fmt.Sprint("chat", i%3)
		if err := q.Submit(context.Background(), key, func() {
			mu.Lock()
			got[key] = append(got[key], i)
			mu.Unlock()
		}); err != nil {
			t.Fatal(err)
		}
	}
	q.Wait()
	for key, seq := range got {
		for j := 1; j < len(seq); j++ {
			if seq[j] < seq[j-1] {
				t.Errorf("%s: got %v, want the order submitted", key, seq)
			}
		}
	}
	if n := len(got["chat0"]) + len(got["chat1"]) + len(got["chat2"]); n != 20 {
		t.Errorf("jobs run: got %d, want 20", n)
	}
}
