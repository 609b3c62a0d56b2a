package storage

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"danvan/flows"
)

func TestFileRoundTrip(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	tests := []struct {
		name, token string
		file        flows.File
	}{
		{"chart", "tok-chart", flows.File{Name: "chi-tieu-1.5.png", Kind: flows.Photo, MIME: "image/png", Data: []byte("\x89PNG\x00\xff")}},
		{"sheet", "tok-sheet", flows.File{Name: "số liệu.xlsx", Kind: flows.Document, MIME: "application/vnd.ms-excel", Data: []byte("XLSX")}},
		{"empty", "tok-empty", flows.File{Name: "empty.csv", Kind: flows.Document, MIME: "text/csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withText := tt.file
			withText.Text = "only for channels without files"
			if err := s.PutFile(ctx, tt.token, withText, time.Hour); err != nil {
				t.Fatalf("PutFile: %v", err)
			}
			got, err := s.File(ctx, tt.token)
			want := tt.file
			if want.Data == nil {
				want.Data = []byte{}
			}
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("File: got %+v, %v, want %+v", got, err, want)
			}
			if ttl := pttl(t, s, s.key("file", tt.token)); ttl <= 59*time.Minute || ttl > time.Hour {
				t.Errorf("file PTTL: got %v, want about 1h", ttl)
			}
		})
	}
}

func TestFileNotFound(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	if err := s.PutFile(ctx, "tok-old", flows.File{Name: "a.png", Data: []byte("PNG")}, time.Hour); err != nil {
		t.Fatal(err)
	}
	// Its hour is up: Redis forgets the key at once when its expiry lies in the past.
	if err := s.rdb.PExpireAt(ctx, s.key("file", "tok-old"), time.Unix(1, 0)).Err(); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"tok-old", "guessed", ""} {
		if _, err := s.File(ctx, token); !errors.Is(err, flows.ErrNotFound) {
			t.Errorf("File(%q): got %v, want ErrNotFound", token, err)
		}
	}
	if err := s.PutFile(ctx, "tok-0", flows.File{Name: "a.png"}, 0); err == nil {
		t.Errorf("PutFile with no TTL: got nil, want an error (the file would never expire)")
	}
}

func TestMenuRoundTrip(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	steps := []struct {
		name string
		put  string // "" reads only
		want string // "" is no menu
	}{
		{"never shown", "", ""},
		{"shown", `{"b":[{"Label":"Gửi","Data":"3|send|"}]}`, `{"b":[{"Label":"Gửi","Data":"3|send|"}]}`},
		{"replaced", `{"b":[{"Label":"Sửa","Data":"4|edit|"}],"free":true}`, `{"b":[{"Label":"Sửa","Data":"4|edit|"}],"free":true}`},
	}
	for _, st := range steps {
		if st.put != "" {
			if err := s.PutMenu(ctx, "zalo:1", []byte(st.put), 24*time.Hour); err != nil {
				t.Fatalf("%s: PutMenu: %v", st.name, err)
			}
		}
		if got, err := s.Menu(ctx, "zalo:1"); err != nil || string(got) != st.want {
			t.Errorf("%s: Menu: got %q, %v, want %q", st.name, got, err, st.want)
		}
	}
	if ttl := pttl(t, s, s.key("zmenu", "zalo:1")); ttl <= 23*time.Hour || ttl > 24*time.Hour {
		t.Errorf("menu PTTL: got %v, want about 24h", ttl)
	}
	if err := s.rdb.PExpireAt(ctx, s.key("zmenu", "zalo:1"), time.Unix(1, 0)).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Menu(ctx, "zalo:1"); err != nil || got != nil {
		t.Errorf("Menu after its TTL: got %q, %v, want nil, nil", got, err)
	}
	if got, err := s.Menu(ctx, "zalo:2"); err != nil || got != nil {
		t.Errorf("another chat's Menu: got %q, %v, want nil, nil", got, err)
	}
	if err := s.PutMenu(ctx, "zalo:1", []byte("{}"), 0); err == nil {
		t.Errorf("PutMenu with no TTL: got nil, want an error")
	}
}
