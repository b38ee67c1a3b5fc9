package idp

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/loa"
)

// TestConfigValidate: a misconfigured template fails at start with every
// bad field named (issue 3 "Bad input").
func TestConfigValidate(t *testing.T) {
	err := (&Config{}).Validate()
	require.ErrorIs(t, err, ErrInvalidConfig)
	for _, field := range []string{"EntityID", "BaseURL", "Key", "Certificates", "SPs", "Authenticator", "Levels"} {
		require.Contains(t, err.Error(), field+":")
	}
	keys(t)
	good := newEnv(t).idp.cfg.Config
	tests := []struct {
		name  string
		mod   func(*Config)
		field string
	}{
		{"base URL with slash", func(c *Config) { c.BaseURL += "/" }, "BaseURL"},
		{"base URL javascript", func(c *Config) { c.BaseURL = "javascript:alert(1)" }, "BaseURL"},
		{"certificate of another key", func(c *Config) { c.Certificates[0] = spKP.Certificate }, "Certificates[0]"},
		{"SHA-1", func(c *Config) { c.SignatureMethod = "http://www.w3.org/2000/09/xmldsig#rsa-sha1" }, "SignatureMethod"},
		{"invalid level", func(c *Config) { c.Levels = []loa.Level{{}} }, "Levels[0]"},
		{"short pairwise key", func(c *Config) { c.PersistentIDKey = []byte("short") }, "PersistentIDKey"},
		{"negative skew", func(c *Config) { c.ClockSkew = -time.Second }, "ClockSkew"},
		{"long assertions", func(c *Config) { c.AssertionLifetime = 2 * time.Hour }, "AssertionLifetime"},
		{"cookie name", func(c *Config) { c.CookieName = "a b" }, "CookieName"},
		{"body cap", func(c *Config) { c.MaxBodyBytes = -1 }, "MaxBodyBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			c.Certificates = append(c.Certificates[:0:0], good.Certificates...)
			tt.mod(&c)
			err := c.Validate()
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.True(t, strings.Contains(err.Error(), tt.field+":"), err.Error())
			_, err = New(c)
			require.True(t, errors.Is(err, ErrInvalidConfig))
		})
	}
}

// TestNewDoesNotMutate: New resolves defaults into its own copy.
func TestNewDoesNotMutate(t *testing.T) {
	e := newEnv(t)
	cfg := e.idp.cfg.Config
	cfg.AssertionLifetime, cfg.ClockSkew, cfg.CookieName, cfg.Now, cfg.LoA, cfg.Logger, cfg.SignatureMethod = 0, 0, "", nil, nil, nil, ""
	before := cfg
	before.Certificates = append(before.Certificates[:0:0], cfg.Certificates...)
	_, err := New(cfg)
	require.NoError(t, err)
	require.True(t, reflect.DeepEqual(before.Certificates, cfg.Certificates))
	require.Zero(t, cfg.AssertionLifetime)
	require.Empty(t, cfg.CookieName)
	require.Nil(t, cfg.LoA)
	require.Empty(t, cfg.SignatureMethod)
}
