package sp

import (
	"context"
	"sync"
	"time"
)

// ReplayCache remembers message IDs until they expire, so that a Response,
// Assertion or LogoutRequest is accepted once (landscape.md: the peers keep
// no replay cache).
//
// Add is a check-and-set: it records id until expires and reports fresh =
// true, or reports fresh = false if id is already recorded and not expired at
// now. It must be atomic across concurrent callers: of several concurrent Adds
// of one id, exactly one is fresh. A cache that cannot record (full, store
// down) returns an error and the message is refused.
type ReplayCache interface {
	Add(ctx context.Context, id string, now, expires time.Time) (fresh bool, err error)
}

// DefaultReplayCacheSize is the capacity of a MemoryReplayCache built with
// size 0.
const DefaultReplayCacheSize = 100_000

// MemoryReplayCache is the in-memory ReplayCache of one process. It holds at
// most its size in entries; expired entries are swept when it fills up (no
// goroutine), and when every entry is still live it refuses with ErrCacheFull
// rather than forget one.
type MemoryReplayCache struct {
	mu        sync.Mutex
	size      int
	entries   map[string]time.Time
	lastSweep time.Time
}

// sweepInterval bounds how often a full cache is swept, so that a flood of
// fresh IDs against a cache full of live entries costs O(1) per Add.
const sweepInterval = time.Second

var _ ReplayCache = (*MemoryReplayCache)(nil)

// NewMemoryReplayCache returns an empty cache of at most size entries; size
// 0 or less means DefaultReplayCacheSize.
func NewMemoryReplayCache(size int) *MemoryReplayCache {
	if size <= 0 {
		size = DefaultReplayCacheSize
	}
	return &MemoryReplayCache{size: size, entries: make(map[string]time.Time)}
}

// Add implements ReplayCache.
func (c *MemoryReplayCache) Add(_ context.Context, id string, now, expires time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.entries[id]; ok && now.Before(exp) {
		return false, nil
	}
	if len(c.entries) >= c.size {
		if now.Sub(c.lastSweep) >= sweepInterval || now.Before(c.lastSweep) {
			c.sweep(now)
			c.lastSweep = now
		}
		if len(c.entries) >= c.size {
			return false, ErrCacheFull
		}
	}
	c.entries[id] = expires
	return true, nil
}

// Len returns the number of entries held, expired ones included until the
// next sweep.
func (c *MemoryReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *MemoryReplayCache) sweep(now time.Time) {
	for id, exp := range c.entries {
		if !now.Before(exp) {
			delete(c.entries, id)
		}
	}
}
