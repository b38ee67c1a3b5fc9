package devcert

import (
	"crypto/rsa"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLoadOrCreate(t *testing.T) {
	tests := []struct {
		alg  Algorithm
		rsa  bool
		bits int
	}{{P256, false, 256}, {RSA2048, true, 2048}}
	for _, tc := range tests {
		t.Run(string(tc.alg), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			p1, err := LoadOrCreate(dir, "idp", Options{Algorithm: tc.alg})
			require.NoError(t, err)
			st, err := os.Stat(filepath.Join(dir, "idp.key"))
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			p2, err := LoadOrCreate(dir, "idp", Options{Algorithm: tc.alg})
			require.NoError(t, err)
			require.True(t, p1.Certificate.Equal(p2.Certificate), "second run must load, not regenerate")
			_, isRSA := p2.Key.(*rsa.PrivateKey)
			require.Equal(t, tc.rsa, isRSA)
			require.Equal(t, "idp", p2.Certificate.Subject.CommonName)
		})
	}
}

func TestLoadOrCreateRefusesDamage(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir string)
	}{
		{"missing cert", func(dir string) { require.NoError(t, os.Remove(filepath.Join(dir, "x.crt"))) }},
		{"garbage key", func(dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "x.key"), []byte("not pem"), 0o600))
		}},
		{"mismatched pair", func(dir string) {
			_, err := LoadOrCreate(filepath.Join(dir, "other"), "y", Options{})
			require.NoError(t, err)
			data, err := os.ReadFile(filepath.Join(dir, "other", "y.crt"))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "x.crt"), data, 0o644))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := LoadOrCreate(dir, "x", Options{})
			require.NoError(t, err)
			before, _ := os.ReadFile(filepath.Join(dir, "x.key"))
			tc.damage(dir)
			_, err = LoadOrCreate(dir, "x", Options{})
			require.ErrorIs(t, err, ErrCorrupt)
			after, _ := os.ReadFile(filepath.Join(dir, "x.key"))
			if before != nil && tc.name != "garbage key" {
				require.Equal(t, before, after, "nothing already stored may be overwritten")
			}
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr []error
	}{
		{"zero value", Options{}, nil},
		{"RSA3072", Options{Algorithm: RSA3072, ValidFor: time.Hour}, nil},
		{"unknown algorithm", Options{Algorithm: "dsa"}, []error{ErrUnknownAlgorithm}},
		{"negative ValidFor", Options{ValidFor: -time.Second}, []error{ErrInvalidOptions}},
		{"both reported at once", Options{Algorithm: "x", ValidFor: -1}, []error{ErrUnknownAlgorithm, ErrInvalidOptions}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			for _, want := range tc.wantErr {
				require.ErrorIs(t, err, want)
			}
			_, gerr := Generate("x", tc.opts)
			require.ErrorIs(t, gerr, tc.wantErr[0], "Generate refuses what Validate refuses")
			dir := t.TempDir()
			_, lerr := LoadOrCreate(dir, "x", tc.opts)
			require.ErrorIs(t, lerr, tc.wantErr[0])
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Empty(t, entries, "nothing is written for invalid options")
		})
	}
}

func TestGenerateValidity(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	p, err := Generate("x", Options{ValidFor: 48 * time.Hour, Now: func() time.Time { return now }})
	require.NoError(t, err)
	require.Equal(t, now.Add(-time.Hour), p.Certificate.NotBefore.UTC())
	require.Equal(t, now.Add(47*time.Hour), p.Certificate.NotAfter.UTC())
	p, err = Generate("x", Options{Now: func() time.Time { return now }})
	require.NoError(t, err)
	require.Equal(t, now.Add(-time.Hour+DefaultValidFor), p.Certificate.NotAfter.UTC())
}
