package sp

import (
	"context"
	"github.com/eidkit/eidkit/loa"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/stretchr/testify/require"
)

// TestConfigValidate: a misconfigured template fails at start with an error
// naming the field (issue 3 "Bad input").
func TestConfigValidate(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		field string
		mod   func(*Config)
	}{
		{"EntityID", func(c *Config) { c.EntityID = "" }},
		{"BaseURL", func(c *Config) { c.BaseURL = "" }},
		{"BaseURL", func(c *Config) { c.BaseURL = "http://eservice.example.hr/saml" }},
		{"BaseURL", func(c *Config) { c.BaseURL = "http://eservice.example.hr/saml"; c.AllowInsecureHTTP = true }},
		{"BaseURL", func(c *Config) { c.BaseURL = "https://eservice.example.hr/saml/" }},
		{"BaseURL", func(c *Config) { c.BaseURL = "https://eservice.example.hr/saml?x=1" }},
		{"BaseURL", func(c *Config) { c.BaseURL = "javascript:alert(1)" }},
		{"Key", func(c *Config) { c.Key = nil }},
		{"Certificate", func(c *Config) { c.Certificate = nil }},
		{"Certificate", func(c *Config) { c.Certificate = e.idpKP.Certificate }},
		{"SignatureMethod", func(c *Config) { c.SignatureMethod = dsig.RSASHA1 }},
		{"DecryptionKeys", func(c *Config) { c.DecryptionKeys = nil; c.RequireEncryptedAssertions = true }},
		{"IdPEntityID", func(c *Config) { c.IdPEntityID = "" }},
		{"IdPs", func(c *Config) { c.IdPs = nil }},
		{"IdPMetadata", func(c *Config) { c.IdPMetadata = e.idpMeta }},
		{"IdPMetadata", func(c *Config) { c.IdPs = nil; c.IdPMetadata = e.idpMeta; c.IdPEntityID = "other" }},
		{"SignaturePolicy", func(c *Config) { c.SignaturePolicy = dsig.Policy{MinRSABits: 1024} }},
		{"CookieKey", func(c *Config) { c.CookieKey = []byte("short") }},
		{"CookiePrefix", func(c *Config) { c.CookiePrefix = "a;b" }},
		{"RequestBinding", func(c *Config) { c.RequestBinding = saml.BindingSOAP }},
		{"ClockSkew", func(c *Config) { c.ClockSkew = time.Hour }},
		{"ClockSkew", func(c *Config) { c.ClockSkew = -time.Second }},
		{"MaxMessageAge", func(c *Config) { c.MaxMessageAge = 2 * time.Hour }},
		{"RequestTTL", func(c *Config) { c.RequestTTL = 2 * time.Hour }},
		{"SessionMaxAge", func(c *Config) { c.SessionMaxAge = -1 }},
		{"MaxOutstanding", func(c *Config) { c.MaxOutstanding = 100 }},
		{"MaxBodyBytes", func(c *Config) { c.MaxBodyBytes = -1 }},
		{"Limits", func(c *Config) { c.Limits.MaxDepth = -1 }},
		{"DefaultReturnPath", func(c *Config) { c.DefaultReturnPath = "//evil.example" }},
		{"PostLogoutPath", func(c *Config) { c.PostLogoutPath = "https://evil.example" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			cfg := e.cfg
			tt.mod(&cfg)
			err := cfg.Validate()
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Contains(t, err.Error(), tt.field)
			_, err = New(cfg)
			require.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
	// Every problem at once.
	err := (&Config{}).Validate()
	for _, f := range []string{"EntityID", "BaseURL", "Key", "Certificate", "IdPEntityID", "IdPs", "CookieKey"} {
		require.Contains(t, err.Error(), f+":")
	}
	require.Greater(t, strings.Count(err.Error(), "\n"), 5)
}

func TestConfigLoopbackAndStatic(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.BaseURL = "http://127.0.0.1:8080/saml"
	cfg.AllowInsecureHTTP = true
	cfg.IdPs, cfg.IdPMetadata = nil, e.idpMeta
	s, err := New(cfg)
	require.NoError(t, err)
	require.Equal(t, "http://127.0.0.1:8080/saml/acs", s.ACSURL())
	_, err = s.ValidateResponse(context.Background(), e.response(e.reqID, both), Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)})
	require.ErrorIs(t, err, ErrDestination, "signature verified with the static metadata; the ACS URL moved")
	c := s.cookie("x", "v", time.Minute, true)
	require.False(t, c.Secure)
	require.Equal(t, http.SameSiteLaxMode, c.SameSite)
}

// TestNewDoesNotMutate: New works on a resolved copy (style rule 4).
func TestNewDoesNotMutate(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	before := cfg
	keyCopy := append([]byte(nil), cfg.CookieKey...)
	_, err := New(cfg)
	require.NoError(t, err)
	require.True(t, reflect.DeepEqual(before.DecryptionKeys, cfg.DecryptionKeys))
	require.Equal(t, keyCopy, cfg.CookieKey)
	require.Zero(t, cfg.ClockSkew)
	require.Nil(t, cfg.ReplayCache)
	require.Nil(t, cfg.Sessions)
}
