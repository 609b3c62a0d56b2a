package filetest

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// PeakHeap samples the live heap every millisecond while it runs: the brief's memory bounds
// are about the peak, not the total allocated, which b.ReportAllocs already shows.
type PeakHeap struct {
	stop       chan struct{}
	done       sync.WaitGroup
	base, peak uint64
}

// StartPeakHeap collects garbage, notes the live heap as the base (the fixture) and starts
// sampling.
func StartPeakHeap() *PeakHeap {
	runtime.GC()
	h := &PeakHeap{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	h.base = sample[0].Value.Uint64()
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			h.peak = max(h.peak, sample[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

// Stop ends sampling and returns the peak and the heap at the start (the fixture), in MB.
func (h *PeakHeap) Stop() (peak, base float64) {
	close(h.stop)
	h.done.Wait()
	return float64(h.peak) / (1 << 20), float64(h.base) / (1 << 20)
}
