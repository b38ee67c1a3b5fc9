package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const td = "../../testdata/"

var docFlag = "-allow-documentation-prefixes"

func TestRun(t *testing.T) {
	testa := "-space=testa-ng=172.31.0.0/16" // test value: the seed gives no TESTA-ng range (C5)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"no args", nil, exitUsage, nil, []string{"usage: cmsnet"}},
		{"help", []string{"help"}, exitOK, []string{"usage: cmsnet"}, nil},
		{"unknown command", []string{"frobnicate"}, exitUsage, nil, []string{"unknown command frobnicate"}},
		{"validate ok", []string{"validate", docFlag, testa, td + "broker.yaml", td + "registry.json"}, exitOK,
			[]string{"broker.yaml: ok", "registry.json: ok"}, nil},
		{"validate documentation addresses refused by default", []string{"validate", td + "broker.yaml"}, exitFail, nil,
			[]string{"broker.yaml:35:21: publications[0].environments[0].addresses[0]", "[address-space]", "^"}},
		{"validate bad", []string{"validate", testa, td + "bad.yaml"}, exitFail, nil,
			[]string{"bad.yaml:9:17: entities[1].connection", "[grant-services]", "[critical-ipsec]", "8 error(s)"}},
		{"validate missing file", []string{"validate", td + "nope.yaml"}, exitFail, nil, []string{"nope.yaml"}},
		{"validate no file", []string{"validate"}, exitUsage, nil, []string{"want 1"}},
		{"validate bad flag", []string{"validate", "-bogus", td + "broker.yaml"}, exitUsage, nil, []string{"-bogus"}},
		{"validate bad format", []string{"validate", "-format", "toml", td + "broker.yaml"}, exitFail, nil, []string{"unknown format"}},
		{"test ok", []string{"test", docFlag, td + "broker.yaml"}, exitOK,
			[]string{"PASS", "citizen reaches the login page", "7 test(s) passed"}, nil},
		{"explain allow", []string{"explain", docFlag, "-source", "10.20.5.9", "-service", "broker", "-env", "cms", "-port", "8443", td + "broker.yaml"},
			exitOK, []string{"allow: allowed by an approved grant: grant grants[0] (grant g-tax-backchannel) at 48:5",
				"rule at:  ../../testdata/broker.yaml:48:5\n    - id: g-tax-backchannel"}, nil},
		{"explain deny", []string{"explain", docFlag, "-source", "10.40.1.5", "-service", "broker", "-env", "cms", "-port", "8443", td + "broker.yaml"},
			exitFail, []string{"deny: denied: no rule admits the source"}, nil},
		{"explain at", []string{"explain", docFlag, "-at", "2031-01-01T00:00:00Z", "-source", "10.30.8.1", "-service", "broker", "-env", "cms", "-port", "8443", td + "broker.yaml"},
			exitFail, []string{"grant has expired"}, nil},
		{"explain usage", []string{"explain", td + "broker.yaml"}, exitUsage, nil, []string{"-source ADDR"}},
		{"reach", []string{"reach", testa, "-service", "population-register", "-env", "cms", td + "registry.json"}, exitOK,
			[]string{"[10.22.0.0/16] by cms-public publications[0].environments[0] (entity labour-office)"}, nil},
		{"reach unpublished", []string{"reach", testa, "-service", "population-register", "-env", "internet", td + "registry.json"}, exitUsage,
			nil, []string{"not published"}},
		{"diff", []string{"diff", docFlag, td + "broker.yaml", td + "broker-v2.yaml"}, exitOK,
			[]string{"+ allow 10.20.0.0/20 -> broker@cms tcp/8444", "- deny  10.30.8.0/24 -> broker@cms tcp/8443", "+ allow 192.0.2.0/24 -> broker@internet tcp/443"}, nil},
		{"diff exit code", []string{"diff", docFlag, "-exit-code", td + "broker.yaml", td + "broker-v2.yaml"}, exitFail, []string{"+ allow"}, nil},
		{"diff same", []string{"diff", docFlag, "-exit-code", td + "broker.yaml", td + "broker.yaml"}, exitOK, []string{"no flow changes"}, nil},
		{"nft", []string{"nft", docFlag, "-table", "gw", td + "broker.yaml"}, exitOK, []string{"table inet gw {", "policy drop"}, nil},
		{"nft bad table", []string{"nft", docFlag, "-table", "a b", td + "broker.yaml"}, exitUsage, nil, []string{"not a valid nftables name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			require.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
			for _, s := range tc.stdout {
				require.Contains(t, stdout.String(), s)
			}
			for _, s := range tc.stderr {
				require.Contains(t, stderr.String(), s)
			}
		})
	}
}

// TestRunFailingTests checks a descriptor whose tests fail exits 1 from
// both validate and test.
func TestRunFailingTests(t *testing.T) {
	src, err := os.ReadFile(td + "broker.yaml")
	require.NoError(t, err)
	bad := strings.Replace(string(src), "    port: 443\n    expect: deny", "    port: 443\n    expect: allow", 1)
	require.NotEqual(t, string(src), bad)
	file := filepath.Join(t.TempDir(), "broker.yaml")
	require.NoError(t, os.WriteFile(file, []byte(bad), 0o600))
	for _, cmd := range []string{"validate", "test"} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, exitFail, run([]string{cmd, docFlag, file}, &stdout, &stderr))
		require.Contains(t, stderr.String(), `test "blocked range"`)
		require.Contains(t, stderr.String(), "[test-failed]")
	}
}
