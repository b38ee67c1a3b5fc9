package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string
	}{
		{"A5 good", "Tq7#vLp2!mXz\n", []string{"check"}, exitOK, []string{"OK: the password meets narp@1"}},
		{"every reason printed", "novakova1234\n", []string{"check", "-class", "administrator", "-surname", "Nováková"}, exitRejected,
			[]string{"5 reasons", "length.min", "composition.upper", "composition.special", "pattern.sequence", "context.word", "Heslo"}},
		{"NIST with second factor", "iloveyou\n", []string{"check", "-profile", "nist-800-63b-4", "-second-factor"}, exitRejected,
			[]string{"blocklist.common", "commonly used"}},
		{"json", "abc\n", []string{"check", "-json"}, exitRejected, []string{`"code": "length.min"`, `"cs":`}},
		{"unknown profile", "x\n", []string{"check", "-profile", "owasp"}, exitError, nil},
		{"NUL byte", "a\x00b\n", []string{"check"}, exitError, nil},
		{"too long", strings.Repeat("x", 1500), []string{"check"}, exitError, nil},
		{"explain", "", []string{"explain"}, exitOK, []string{"composition", "SHALL NOT", "A5"}},
		{"explain nist", "", []string{"explain", "-profile", "nist-800-63b-4"}, exitOK, []string{"follows NIST"}},
		{"no command", "", nil, exitError, nil},
		{"unknown command", "", []string{"frobnicate"}, exitError, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, _ := runCmd(t, tc.stdin, tc.args...)
			require.Equal(t, tc.code, code, out)
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
		})
	}
}

func TestAccountCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	code, out, errOut := runCmd(t, "", "create", "-db", db, "-first", "Jana", "-surname", "Nováková", "-email", "jana@example.cz")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "created novakovaj1")
	require.Regexp(t, regexp.MustCompile(`temporary password: \S{16,}`), out)

	code, _, errOut = runCmd(t, "", "create", "-db", db, "-first", "", "-surname", "X", "-email", "x@example.cz")
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "empty name")

	code, out, _ = runCmd(t, "", "suspend", "-db", db, "-username", "novakovaj1", "-reason", "many logins")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "suspended novakovaj1; review by")
	require.Contains(t, out, "notify jana@example.cz: suspended")
	require.Contains(t, out, "notify central administrator: suspended")

	code, out, _ = runCmd(t, "", "list", "-db", db)
	require.Equal(t, exitOK, code)
	require.Regexp(t, `novakovaj1\s+Jana Nováková\s+user\s+researcher\s+suspended\s+never`, out)

	code, out, _ = runCmd(t, "", "restore", "-db", db, "-username", "novakovaj1")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "restored novakovaj1")

	code, out, _ = runCmd(t, "", "reset", "-db", db, "-username", "novakovaj1")
	require.Equal(t, exitOK, code)
	require.Regexp(t, `notify jana@example.cz: reset-link for novakovaj1 token=[A-Za-z0-9_-]{43} until`, out)
	require.Contains(t, out, "notify central administrator: reset-requested")

	code, _, _ = runCmd(t, "", "sweep", "-db", db)
	require.Equal(t, exitOK, code)
	code, _, errOut = runCmd(t, "", "list")
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "-db or -pg is required")
	code, _, _ = runCmd(t, "", "suspend", "-db", db)
	require.Equal(t, exitError, code)
}
