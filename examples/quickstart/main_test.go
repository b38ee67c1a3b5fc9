package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRun runs the whole tour twice: the first run generates keys, the second
// must reuse them and print the same facts.
func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	now := func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }
	for i := range 2 {
		var out bytes.Buffer
		require.NoError(t, run(&out, dir, now), "run %d", i+1)
		s := out.String()
		require.Contains(t, s, "entityID     CN=demo-idp, O=eidkit demo, L=ZAGREB, C=HR")
		require.Contains(t, s, "valid until  2026-11-23T10:00:00Z")
		require.Contains(t, s, "SigAlg http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1")
		require.Contains(t, s, "about HR/HR/12345678901")
		require.Contains(t, s, "eIDAS substantial <-> STORK QAA 3")
		require.Regexp(t, `granted eIDAS low\s+satisfies minimum substantial: false`, s)
		require.Regexp(t, `granted eIDAS high\s+satisfies minimum substantial: true`, s)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 4, "idp and sp key and certificate, nothing else")
}
