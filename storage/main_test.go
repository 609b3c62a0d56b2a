package storage

import (
	"testing"

	"danvan/internal/redistest"
)

// TestMain says, after the tests, how many were skipped for want of Redis.
func TestMain(m *testing.M) { redistest.Main(m) }
