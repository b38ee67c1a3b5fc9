package partner_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/partner"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	k := newKeys(t)
	good := func() partner.Config {
		return partner.Config{
			Environment: partner.EnvProduction,
			Sources: []partner.Source{{
				Environment: partner.EnvProduction,
				URL:         "https://nias.example.hr/metadata",
				Verifier:    k.verify,
			}},
		}
	}
	tests := []struct {
		name   string
		mutate func(c *partner.Config)
		fields []string // each must be named in the error
	}{
		{"valid", func(*partner.Config) {}, nil},
		{"valid custom environment", func(c *partner.Config) {
			c.Environment, c.Sources[0].Environment = "staging-2", "staging-2"
		}, nil},
		{"valid http to loopback when allowed", func(c *partner.Config) {
			c.Sources[0].URL, c.Sources[0].AllowInsecureHTTP = "http://127.0.0.1:8080/metadata", true
		}, nil},
		{"valid unsigned file", func(c *partner.Config) {
			c.Sources[0] = partner.Source{Environment: partner.EnvProduction, File: "idp.xml", AllowUnsigned: true}
		}, nil},
		{"no environment", func(c *partner.Config) { c.Environment = "" }, []string{"Environment", "Sources[0].Environment"}},
		{"bad environment name", func(c *partner.Config) { c.Environment = "Prod!" }, []string{"Environment"}},
		{"no sources", func(c *partner.Config) { c.Sources = nil }, []string{"Sources"}},
		{"source without environment N23", func(c *partner.Config) { c.Sources[0].Environment = "" }, []string{"Sources[0].Environment"}},
		{"test source in production N23", func(c *partner.Config) { c.Sources[0].Environment = partner.EnvTest }, []string{"Sources[0].Environment"}},
		{"no location", func(c *partner.Config) { c.Sources[0].URL = "" }, []string{"Sources[0].File/URL/Data"}},
		{"two locations", func(c *partner.Config) { c.Sources[0].File = "x.xml" }, []string{"Sources[0].File/URL/Data"}},
		{"empty data", func(c *partner.Config) { c.Sources[0].URL, c.Sources[0].Data = "", []byte{} }, []string{"Sources[0].Data"}},
		{"http", func(c *partner.Config) { c.Sources[0].URL = "http://nias.example.hr/md" }, []string{"Sources[0].URL"}},
		{"http to a remote host even when allowed", func(c *partner.Config) {
			c.Sources[0].URL, c.Sources[0].AllowInsecureHTTP = "http://nias.example.hr/md", true
		}, []string{"Sources[0].URL"}},
		{"ftp", func(c *partner.Config) { c.Sources[0].URL = "ftp://nias.example.hr/md" }, []string{"Sources[0].URL"}},
		{"relative URL", func(c *partner.Config) { c.Sources[0].URL = "/metadata" }, []string{"Sources[0].URL"}},
		{"credentials in URL", func(c *partner.Config) { c.Sources[0].URL = "https://u:p@nias.example.hr/md" }, []string{"Sources[0].URL"}},
		{"no trust", func(c *partner.Config) { c.Sources[0].Verifier = nil }, []string{"Sources[0].Verifier"}},
		{"verifier without certificates", func(c *partner.Config) { c.Sources[0].Verifier = &dsig.Verifier{} }, []string{"Sources[0].Verifier.Certificates"}},
		{"negative max validity", func(c *partner.Config) { c.Sources[0].MaxValidity = -1 }, []string{"Sources[0].MaxValidity"}},
		{"empty entity filter", func(c *partner.Config) { c.Sources[0].Entities = []string{""} }, []string{"Sources[0].Entities[0]"}},
		{"refresh too long", func(c *partner.Config) { c.RefreshInterval = 48 * time.Hour }, []string{"RefreshInterval"}},
		{"min refresh too short", func(c *partner.Config) { c.MinRefresh = time.Millisecond }, []string{"MinRefresh"}},
		{"min refresh above interval", func(c *partner.Config) {
			c.RefreshInterval, c.MinRefresh = time.Minute, time.Hour
		}, []string{"MinRefresh"}},
		{"negative sizes", func(c *partner.Config) { c.MaxMetadataBytes, c.MaxElements, c.MaxEntities = -1, -1, -1 },
			[]string{"MaxMetadataBytes", "MaxElements", "MaxEntities"}},
		{"huge document cap", func(c *partner.Config) { c.MaxMetadataBytes = 1 << 30 }, []string{"MaxMetadataBytes"}},
		{"fetch timeout", func(c *partner.Config) { c.FetchTimeout = time.Hour }, []string{"FetchTimeout"}},
		{"retries", func(c *partner.Config) { c.RetryMax = 100 }, []string{"RetryMax"}},
		{"retry waits inverted", func(c *partner.Config) { c.RetryWaitMin, c.RetryWaitMax = time.Second, time.Millisecond }, []string{"RetryWaitMin"}},
		{"empty suspension", func(c *partner.Config) { c.Suspended = map[string]string{"": "x"} }, []string{"Suspended"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := good()
			tt.mutate(&c)
			err := c.Validate()
			if tt.fields == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, partner.ErrInvalidConfig)
			for _, f := range tt.fields {
				require.Contains(t, err.Error(), f+":")
			}
			// New refuses the same configuration before any I/O.
			_, err = partner.New(t.Context(), c)
			require.ErrorIs(t, err, partner.ErrInvalidConfig)
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	c := partner.Config{
		Environment: "production",
		Sources: []partner.Source{
			{Environment: "test", URL: "http://x.example/md"},
			{Environment: "production"},
		},
		RetryMax: 99,
	}
	err := c.Validate()
	var joined interface{ Unwrap() []error }
	require.True(t, errors.As(err, &joined))
	require.Len(t, joined.Unwrap(), 6, "%v", err)
}

func TestNewDoesNotChangeConfig(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	data := signedIdP(t, k, idpID, clk.Now(), time.Hour)
	client := &http.Client{}
	cfg := partner.Config{
		Environment: partner.EnvTest,
		Sources:     []partner.Source{{Environment: partner.EnvTest, Data: data, Verifier: k.verify}},
		HTTPClient:  client,
		Now:         clk.Now,
	}
	before := cfg
	src := cfg.Sources[0]
	_, err := partner.New(t.Context(), cfg)
	require.NoError(t, err)
	require.Nil(t, k.verify.Now, "the caller's Verifier is not changed")
	require.Nil(t, client.CheckRedirect, "the caller's HTTP client is not changed")
	require.Equal(t, src, cfg.Sources[0])
	require.Equal(t, before.RefreshInterval, cfg.RefreshInterval)
	require.Equal(t, before.MinRefresh, cfg.MinRefresh)
}
