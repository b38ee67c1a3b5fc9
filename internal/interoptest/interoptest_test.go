package interoptest_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/internal/interoptest"
)

func TestRequired(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{{"1", true}, {"", false}, {"0", false}, {"true", false}}
	for _, tt := range tests {
		t.Run("value="+tt.value, func(t *testing.T) {
			t.Setenv(interoptest.EnvRequire, tt.value)
			require.Equal(t, tt.want, interoptest.Required())
		})
	}
}

// TestRequireToolFound finds a program every test machine has: the go tool
// running this test.
func TestRequireToolFound(t *testing.T) {
	t.Setenv(interoptest.EnvRequire, "1")
	require.NotEmpty(t, interoptest.RequireTool(t, "go"))
}

// TestRequireToolMissing checks both outcomes for a missing program, each
// in a fake testing.TB that records instead of stopping the test.
func TestRequireToolMissing(t *testing.T) {
	const missing = "eidkit-no-such-tool-9f3a"
	tests := []struct {
		env                 string
		wantSkip, wantFatal bool
	}{{"", true, false}, {"1", false, true}}
	for _, tt := range tests {
		t.Run("EIDKIT_REQUIRE_INTEROP="+tt.env, func(t *testing.T) {
			t.Setenv(interoptest.EnvRequire, tt.env)
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				interoptest.RequireTool(rec, missing)
			}()
			<-done
			require.Equal(t, tt.wantSkip, rec.skipped)
			require.Equal(t, tt.wantFatal, rec.failed)
		})
	}
}

// recorder notes Skipf and Fatalf and ends its goroutine like testing does.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(string, ...any) { r.skipped = true; runtime.Goexit() }

func (r *recorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }
