package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoadOrCreateSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s1, err := LoadOrCreateSecret(dir, "k", 32, bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	require.NoError(t, err)
	require.Equal(t, bytes.Repeat([]byte{7}, 32), s1)
	st, err := os.Stat(filepath.Join(dir, "k"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	s2, err := LoadOrCreateSecret(dir, "k", 32, nil)
	require.NoError(t, err)
	require.Equal(t, s1, s2, "second run loads, never regenerates")

	_, err = LoadOrCreateSecret(dir, "k", 16, nil)
	require.ErrorIs(t, err, ErrBadSecret, "wrong size is refused, not overwritten")
	s3, err := LoadOrCreateSecret(dir, "k", 32, nil)
	require.NoError(t, err)
	require.Equal(t, s1, s3)
}

func TestCheckLoopbackAddr(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8443", true},
		{"localhost:8443", true},
		{"127.0.0.2:1", true},
		{"0.0.0.0:8443", false},
		{"192.0.2.1:8443", false},
		{"[::1]:8443", false},
		{"example.org:80", false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			err := CheckLoopbackAddr(tc.addr)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrNotLoopback)
			}
		})
	}
	require.Error(t, CheckLoopbackAddr("no-port"))
}
