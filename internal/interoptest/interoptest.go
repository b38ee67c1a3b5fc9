package interoptest

import (
	"os"
	"os/exec"
	"testing"
)

// EnvRequire is the environment variable that turns a missing tool from a
// skip into a failure when set to "1".
const EnvRequire = "EIDKIT_REQUIRE_INTEROP"

// Required reports whether the environment demands interop tests
// (EIDKIT_REQUIRE_INTEROP=1).
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// RequireTool returns the path of the external program name. When it is not
// on PATH, it skips t, or fails t when [Required] is true.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if Required() {
			t.Fatalf("%s not found and %s=1: %v", name, EnvRequire, err)
		}
		t.Skipf("%s not installed; set %s=1 to make this a failure", name, EnvRequire)
	}
	return path
}
