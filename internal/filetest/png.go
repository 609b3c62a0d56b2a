package filetest

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// MustDecodePNG decodes data as a PNG.
func MustDecodePNG(tb testing.TB, data []byte) image.Image {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decode PNG of %d bytes: got %v, want an image", len(data), err)
	}
	return img
}

// MustPNG decodes data as a PNG of at least 100×100, as a chart is.
func MustPNG(tb testing.TB, data []byte) {
	tb.Helper()
	if b := MustDecodePNG(tb, data).Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		tb.Errorf("chart size: got %v, want at least 100×100", b)
	}
}
