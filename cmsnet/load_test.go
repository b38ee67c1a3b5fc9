package cmsnet

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// testConfig admits documentation prefixes on the Internet and sets a
// TESTA-ng space. 172.31.0.0/16 is a test value only: the seed gives no
// TESTA-ng range (C5).
func testConfig() Config {
	return Config{
		AllowDocumentationPrefixes: true,
		AddressSpaces:              map[Environment][]netip.Prefix{EnvTESTANG: {netip.MustParsePrefix("172.31.0.0/16")}},
		Now:                        func() time.Time { return testNow },
	}
}

func loadFile(t testing.TB, name string) *Policy {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	p, err := Load(src, FormatAuto, testConfig())
	var list ErrorList
	if errors.As(err, &list) {
		t.Log(list.Pretty(name))
	}
	require.NoError(t, err)
	return p
}

func TestLoadExamples(t *testing.T) {
	for _, tc := range []struct {
		file  string
		tests int
	}{
		{"broker.yaml", 7},
		{"broker-v2.yaml", 4},
		{"registry.json", 9},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := loadFile(t, tc.file)
			res := p.TestResults()
			require.Len(t, res, tc.tests)
			for _, r := range res {
				require.True(t, r.Passed, r.Test.Name)
			}
		})
	}
}

// TestBadDescriptor checks every bad-input class of issue 5 is reported,
// at once, with its path, position and sentinel (C1, C3, C4, C5, C7).
func TestBadDescriptor(t *testing.T) {
	src, err := os.ReadFile("testdata/bad.yaml")
	require.NoError(t, err)
	_, err = Load(src, FormatYAML, testConfig())
	var list ErrorList
	require.ErrorAs(t, err, &list)
	want := []struct {
		code, path string
		line, col  int
		sentinel   error
	}{
		{"connection-type", "entities[1].connection", 9, 17, ErrConnection},
		{"unknown-field", "publications[0].colour", 20, 5, ErrUnknownField},
		{"address-space", "publications[0].environments[0].addresses[0]", 23, 21, ErrAddressSpace},
		{"overlap", "publications[0].environments[0].sources[1].prefix", 27, 21, ErrOverlap},
		{"ungranted-access", "publications[0].environments[1].sources", 32, 18, ErrUngranted},
		{"source-required", "publications[1].environments[0].sources", 37, 9, ErrSourceRequired},
		{"grant-services", "grants[0].services", 42, 15, ErrGrantServices},
		{"critical-ipsec", "grants[1].entity", 50, 13, ErrCriticalIPsec},
	}
	require.Len(t, list, len(want), list.Pretty("bad.yaml"))
	for i, w := range want {
		e := list[i]
		require.Equal(t, w.code, e.Code)
		require.Equal(t, w.path, e.Path)
		require.Equal(t, [2]int{w.line, w.col}, [2]int{e.Line, e.Column}, e.Path)
		require.ErrorIs(t, e, w.sentinel)
		require.ErrorIs(t, err, w.sentinel)
		require.Contains(t, e.Excerpt, "^")
	}
	require.Contains(t, list.Pretty("bad.yaml"), "bad.yaml:23:21: publications[0].environments[0].addresses[0]")
}

func TestTestsFailPreventLoad(t *testing.T) {
	src, err := os.ReadFile("testdata/broker.yaml")
	require.NoError(t, err)
	bad := strings.Replace(string(src), "    port: 8443\n    at: 2030-06-01T00:00:00Z\n    expect: deny",
		"    port: 8443\n    at: 2030-06-01T00:00:00Z\n    expect: allow", 1)
	require.NotEqual(t, string(src), bad)
	p, err := Load([]byte(bad), FormatYAML, testConfig())
	require.Nil(t, p)
	require.ErrorIs(t, err, ErrTestFailed)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "test-failed", e.Code)
	require.Contains(t, e.Message, "grant has expired")
}

func TestConfigValidate(t *testing.T) {
	bad := Config{
		Limits:        Limits{MaxBytes: -1},
		AddressSpaces: map[Environment][]netip.Prefix{"moon": {netip.MustParsePrefix("10.0.0.1/8")}},
	}
	err := bad.Validate()
	require.ErrorIs(t, err, ErrConfig)
	for _, s := range []string{"MaxBytes", "unknown environment", "not a canonical prefix"} {
		require.ErrorContains(t, err, s)
	}
	_, err = Load([]byte("version: 1"), FormatYAML, bad)
	require.ErrorIs(t, err, ErrConfig)
	require.NoError(t, Config{}.Validate())
}

func TestDefaultAddressSpaces(t *testing.T) {
	rc, err := Config{}.resolve()
	require.NoError(t, err)
	for _, tc := range []struct {
		env  Environment
		addr string
		in   bool
	}{
		{EnvInternet, "8.8.8.8", true},
		{EnvInternet, "2a00:1450::1", true},
		{EnvInternet, "10.1.1.1", false},
		{EnvInternet, "203.0.113.1", false}, // documentation, RFC 5737
		{EnvInternet, "100.64.0.1", false},
		{EnvCMS, "10.1.1.1", true},
		{EnvCMS, "8.8.8.8", false},
		{EnvExtranet, "fd00::1", true},
		{EnvServiceBus, "192.168.1.1", true},
		{EnvTESTANG, "10.1.1.1", false}, // no default TESTA-ng space (C5)
	} {
		require.Equal(t, tc.in, rc.spaces[tc.env].Contains(netip.MustParseAddr(tc.addr)), "%s %s", tc.env, tc.addr)
	}
}

// TestNewDoesNotMutate checks Load never changes the caller's Config.
func TestLoadDoesNotMutateConfig(t *testing.T) {
	cfg := testConfig()
	before := len(cfg.AddressSpaces[EnvInternet])
	loadFile(t, "broker.yaml")
	_, _ = Load([]byte("version: 1\n"), FormatYAML, cfg)
	require.Len(t, cfg.AddressSpaces, 1)
	require.Equal(t, before, len(cfg.AddressSpaces[EnvInternet]))
}
