package sp

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMemoryReplayCache(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	c := NewMemoryReplayCache(2)
	fresh, err := c.Add(ctx, "a", now, now.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, fresh)
	fresh, err = c.Add(ctx, "a", now.Add(30*time.Second), now.Add(time.Minute))
	require.NoError(t, err)
	require.False(t, fresh, "replay within the window")
	fresh, err = c.Add(ctx, "a", now.Add(time.Minute), now.Add(2*time.Minute))
	require.NoError(t, err)
	require.True(t, fresh, "expired entries read as absent")

	_, err = c.Add(ctx, "b", now.Add(time.Minute), now.Add(2*time.Minute))
	require.NoError(t, err)
	_, err = c.Add(ctx, "c", now.Add(time.Minute), now.Add(2*time.Minute))
	require.ErrorIs(t, err, ErrCacheFull, "full of live entries: refuse, never forget")
	fresh, err = c.Add(ctx, "c", now.Add(3*time.Minute), now.Add(4*time.Minute))
	require.NoError(t, err, "the sweep frees expired entries")
	require.True(t, fresh)
	require.Equal(t, 1, c.Len())
}

// TestMemoryReplayCacheContention: of many concurrent Adds of one ID exactly
// one is fresh (style rule 3, run under -race).
func TestMemoryReplayCacheContention(t *testing.T) {
	c := NewMemoryReplayCache(0)
	now := time.Now()
	for id := 0; id < 20; id++ {
		var wg sync.WaitGroup
		var freshCount atomic.Int32
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				fresh, err := c.Add(context.Background(), fmt.Sprint("id-", id), now, now.Add(time.Minute))
				if err == nil && fresh {
					freshCount.Add(1)
				}
			}()
		}
		wg.Wait()
		require.Equal(t, int32(1), freshCount.Load())
	}
}

func TestMemoryRevocationStore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	s := NewMemoryRevocationStore(1)
	at, err := s.RevokedAt(ctx, "k", now)
	require.NoError(t, err)
	require.True(t, at.IsZero())
	require.NoError(t, s.Revoke(ctx, "k", now, now.Add(time.Hour)))
	at, err = s.RevokedAt(ctx, "k", now.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, now, at)
	require.ErrorIs(t, s.Revoke(ctx, "k2", now, now.Add(time.Hour)), ErrCacheFull)
	at, err = s.RevokedAt(ctx, "k", now.Add(2*time.Hour))
	require.NoError(t, err)
	require.True(t, at.IsZero(), "expired")
	require.NoError(t, s.Revoke(ctx, "k2", now.Add(2*time.Hour), now.Add(3*time.Hour)))
}

func TestSealer(t *testing.T) {
	e := newEnv(t)
	v, err := e.sp.reqSealer.seal("name", &logoutState{ID: "x", Expires: 5})
	require.NoError(t, err)
	var st logoutState
	require.NoError(t, e.sp.reqSealer.open("name", v, &st))
	require.Equal(t, "x", st.ID)
	require.Error(t, e.sp.reqSealer.open("other-name", v, &st), "bound to the cookie name")
	require.Error(t, e.sp.sessSealer.open("name", v, &st), "bound to the purpose")
	for _, bad := range []string{"", "!!", v[:len(v)-2], v + "A"} {
		require.Error(t, e.sp.reqSealer.open("name", bad, &st))
	}
}
