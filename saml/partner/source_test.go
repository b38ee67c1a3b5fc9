package partner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

func TestFileSource(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	path := filepath.Join(t.TempDir(), "idp.xml")
	require.NoError(t, os.WriteFile(path, signedIdP(t, k, idpID, clk.Now(), 48*time.Hour), 0o600))
	cfg := partner.Config{
		Environment: partner.EnvTest,
		Sources:     []partner.Source{{Environment: partner.EnvTest, File: path, Verifier: k.verify}},
		Now:         clk.Now,
	}
	r, err := partner.New(t.Context(), cfg)
	require.NoError(t, err)
	p, err := r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.Equal(t, path, p.Source)

	// The operator replaces the file: the next refresh picks it up.
	rolled := k
	rolled.partner = newKeys(t).partner
	require.NoError(t, os.WriteFile(path, signedIdP(t, rolled, idpID, clk.Now(), 48*time.Hour), 0o600))
	later := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(path, later, later))
	require.NoError(t, r.Refresh(t.Context()))
	p, err = r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.True(t, signingCert(t, p.Metadata).Equal(rolled.partner.Certificate))

	// A broken file is refused and the last good metadata stays.
	require.NoError(t, os.WriteFile(path, []byte("<broken"), 0o600))
	require.ErrorIs(t, r.Refresh(t.Context()), metadata.ErrMalformed)
	p, err = r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.True(t, signingCert(t, p.Metadata).Equal(rolled.partner.Certificate))

	// A missing file fails at start.
	cfg.Sources[0].File = filepath.Join(t.TempDir(), "missing.xml")
	_, err = partner.New(t.Context(), cfg)
	require.ErrorIs(t, err, partner.ErrSource)
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestUnsignedSources(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	unsigned, err := idpEntity(t, idpID, k.partner.Certificate, clk.Now(), time.Hour, 0).Marshal()
	require.NoError(t, err)
	noValidUntil := idpEntity(t, idpID, k.partner.Certificate, clk.Now(), time.Hour, 0)
	noValidUntil.ValidUntil = time.Time{}
	noValidUntilXML, err := noValidUntil.Sign(k.signer)
	require.NoError(t, err)

	tests := []struct {
		name    string
		src     partner.Source
		wantErr error
	}{
		{"unsigned refused by default", partner.Source{Data: unsigned, Verifier: k.verify}, metadata.ErrUnsigned},
		{"unsigned allowed explicitly", partner.Source{Data: unsigned, AllowUnsigned: true}, nil},
		{"no validUntil refused by default", partner.Source{Data: noValidUntilXML, Verifier: k.verify}, metadata.ErrValidity},
		{"no validUntil allowed explicitly", partner.Source{Data: noValidUntilXML, Verifier: k.verify, AllowNoValidUntil: true}, nil},
		{"validity too long", partner.Source{Data: signedIdP(t, k, idpID, clk.Now(), 400*24*time.Hour), Verifier: k.verify, MaxValidity: 30 * 24 * time.Hour}, metadata.ErrValidity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.src.Environment = partner.EnvTest
			r, err := partner.New(t.Context(), partner.Config{Environment: partner.EnvTest, Sources: []partner.Source{tt.src}, Now: clk.Now})
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.ErrorIs(t, err, partner.ErrSource)
				require.Nil(t, r)
				return
			}
			require.NoError(t, err)
			_, err = r.Lookup(t.Context(), idpID)
			require.NoError(t, err)
		})
	}
}

// TestEnvironmentSeparation checks N23: the same entityID in test and
// production resolves to each environment's own keys, and test metadata
// cannot be loaded into a production registry.
func TestEnvironmentSeparation(t *testing.T) {
	t.Parallel()
	clk := newClock()
	testKeys, prodKeys := newKeys(t), newKeys(t)
	_, testSrv := newServer(t, signedIdP(t, testKeys, idpID, clk.Now(), 48*time.Hour))
	_, prodSrv := newServer(t, signedIdP(t, prodKeys, idpID, clk.Now(), 48*time.Hour))

	registry := func(env string, srv *httptest.Server, k keys) (*partner.Registry, error) {
		return partner.New(t.Context(), partner.Config{
			Environment: env,
			Sources:     []partner.Source{{Environment: env, URL: srv.URL, Verifier: k.verify}},
			HTTPClient:  srv.Client(),
			Now:         clk.Now,
		})
	}
	testReg, err := registry(partner.EnvTest, testSrv, testKeys)
	require.NoError(t, err)
	prodReg, err := registry(partner.EnvProduction, prodSrv, prodKeys)
	require.NoError(t, err)

	for _, tt := range []struct {
		reg  *partner.Registry
		env  string
		want keys
	}{{testReg, partner.EnvTest, testKeys}, {prodReg, partner.EnvProduction, prodKeys}} {
		p, err := tt.reg.Lookup(t.Context(), idpID)
		require.NoError(t, err)
		require.Equal(t, tt.env, p.Environment)
		require.True(t, signingCert(t, p.Metadata).Equal(tt.want.partner.Certificate), tt.env)
	}

	// Test metadata offered to production (production trust) is refused.
	_, err = registry(partner.EnvProduction, testSrv, prodKeys)
	require.ErrorIs(t, err, metadata.ErrBadSignature)
	// A suspension in one environment does not touch the other.
	require.NoError(t, testReg.Suspend(idpID, "test maintenance"))
	_, err = prodReg.Lookup(t.Context(), idpID)
	require.NoError(t, err)
}

func TestAggregate(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	var eds []*metadata.EntityDescriptor
	for i := range 3 {
		ed := idpEntity(t, fmt.Sprintf("https://idp%d.example.eu/metadata", i), k.partner.Certificate, clk.Now(), time.Hour, 0)
		ed.ValidUntil = time.Time{} // inherited from the aggregate
		eds = append(eds, ed)
	}
	expiredChild := idpEntity(t, "https://old.example.eu/metadata", k.partner.Certificate, clk.Now().Add(-48*time.Hour), time.Hour, 0)
	data := aggregate(t, k.signer, clk.Now().Add(24*time.Hour), append(eds, expiredChild)...)
	src := partner.Source{Environment: partner.EnvTest, Data: data, Verifier: k.verify, Name: "federation"}
	cfg := partner.Config{Environment: partner.EnvTest, Sources: []partner.Source{src}, Now: clk.Now}

	r, err := partner.New(t.Context(), cfg)
	require.NoError(t, err)
	require.Len(t, r.Partners(), 3)
	for _, ed := range eds {
		p, err := r.Lookup(t.Context(), ed.EntityID)
		require.NoError(t, err)
		require.Equal(t, "federation", p.Source)
		require.True(t, p.ValidUntil.Equal(clk.Now().Add(24*time.Hour)), "validUntil is inherited")
	}
	_, err = r.Lookup(t.Context(), "https://old.example.eu/metadata")
	require.ErrorIs(t, err, partner.ErrExpired, "an expired child reads as expired, not unknown")

	// Entities takes only the partners wanted from the aggregate.
	cfg.Sources[0].Entities = []string{eds[1].EntityID}
	r, err = partner.New(t.Context(), cfg)
	require.NoError(t, err)
	require.Len(t, r.Partners(), 1)
	_, err = r.Lookup(t.Context(), eds[0].EntityID)
	require.ErrorIs(t, err, partner.ErrUnknownPartner)

	cfg.Sources[0].Entities = []string{"https://absent.example.eu/metadata"}
	_, err = partner.New(t.Context(), cfg)
	require.ErrorIs(t, err, partner.ErrUnknownPartner)
	require.ErrorIs(t, err, partner.ErrSource)
}

func TestConflictingSources(t *testing.T) {
	t.Parallel()
	a, b, clk := newKeys(t), newKeys(t), newClock()
	_, err := partner.New(t.Context(), partner.Config{
		Environment: partner.EnvTest,
		Sources: []partner.Source{
			{Environment: partner.EnvTest, Data: signedIdP(t, a, idpID, clk.Now(), time.Hour), Verifier: a.verify},
			{Environment: partner.EnvTest, Data: signedIdP(t, b, idpID, clk.Now(), time.Hour), Verifier: b.verify},
		},
		Now: clk.Now,
	})
	require.ErrorIs(t, err, partner.ErrConflict)
	var se *partner.SourceError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 1, se.Index)
}

func TestFetchLimits(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	doc := signedIdP(t, k, idpID, clk.Now(), time.Hour)

	t.Run("too large", func(t *testing.T) {
		t.Parallel()
		_, srv := newServer(t, doc)
		cfg := urlConfig(srv, k, clk)
		cfg.MaxMetadataBytes = len(doc) - 1
		_, err := partner.New(t.Context(), cfg)
		require.ErrorIs(t, err, partner.ErrTooLarge)
	})
	t.Run("gzip bomb", func(t *testing.T) {
		t.Parallel()
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		_, err := w.Write(append(doc, bytes.Repeat([]byte(" "), 4<<20)...))
		require.NoError(t, err)
		require.NoError(t, w.Close())
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz.Bytes())
		}))
		t.Cleanup(srv.Close)
		cfg := urlConfig(srv, k, clk)
		cfg.MaxMetadataBytes = 1 << 20
		_, err = partner.New(t.Context(), cfg)
		require.ErrorIs(t, err, partner.ErrTooLarge)
	})
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	doc := signedIdP(t, k, idpID, clk.Now(), time.Hour)

	t.Run("redirect to http refused", func(t *testing.T) {
		t.Parallel()
		_, plain := newPlainServer(t, doc)
		srv := httptest.NewTLSServer(http.RedirectHandler(plain.URL, http.StatusFound))
		t.Cleanup(srv.Close)
		_, err := partner.New(t.Context(), urlConfig(srv, k, clk))
		require.ErrorIs(t, err, partner.ErrFetch)
	})
	t.Run("redirect within https followed", func(t *testing.T) {
		t.Parallel()
		_, target := newServer(t, doc)
		srv := httptest.NewTLSServer(http.RedirectHandler(target.URL, http.StatusFound))
		t.Cleanup(srv.Close)
		_, err := partner.New(t.Context(), urlConfig(srv, k, clk))
		require.NoError(t, err)
	})
	t.Run("untrusted TLS certificate", func(t *testing.T) {
		t.Parallel()
		md, srv := newServer(t, doc)
		cfg := urlConfig(srv, k, clk)
		cfg.HTTPClient = nil // the system roots do not know httptest's CA
		_, err := partner.New(t.Context(), cfg)
		require.ErrorIs(t, err, partner.ErrFetch)
		hits, _, _, _ := md.counts()
		require.Zero(t, hits, "a TLS failure is not retried and serves nothing")
	})
	t.Run("http to loopback with AllowInsecureHTTP", func(t *testing.T) {
		t.Parallel()
		_, plain := newPlainServer(t, doc)
		cfg := urlConfig(plain, k, clk)
		cfg.Sources[0].AllowInsecureHTTP = true
		r, err := partner.New(t.Context(), cfg)
		require.NoError(t, err)
		_, err = r.Lookup(t.Context(), idpID)
		require.NoError(t, err)
	})
}

// newPlainServer starts an http (not https) server on loopback.
func newPlainServer(t testing.TB, body []byte) (*mdServer, *httptest.Server) {
	t.Helper()
	md := &mdServer{body: body}
	srv := httptest.NewServer(md)
	t.Cleanup(srv.Close)
	return md, srv
}

func TestStatic(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	ed := idpEntity(t, idpID, k.partner.Certificate, clk.Now(), time.Hour, 0)
	// Static checks validUntil against the real clock.
	edNow := idpEntity(t, idpID, k.partner.Certificate, time.Now(), 24*time.Hour, 0)
	other := idpEntity(t, "https://other.example/md", k.partner.Certificate, time.Now(), 24*time.Hour, 0)

	r, err := partner.Static(partner.EnvTest,
		&partner.Partner{EntityID: idpID, Metadata: edNow},
		&partner.Partner{EntityID: other.EntityID, Environment: partner.EnvTest, Metadata: other, Suspended: true, SuspendedNotice: "closed"},
	)
	require.NoError(t, err)
	p, err := r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.Equal(t, partner.EnvTest, p.Environment)
	require.Equal(t, "static", p.Source)
	_, err = r.Lookup(t.Context(), other.EntityID)
	require.ErrorIs(t, err, partner.ErrSuspended)
	require.NoError(t, r.Refresh(t.Context()), "nothing to refresh")

	// With the clock the metadata was built with, validUntil is honoured.
	clocked, err := partner.NewStatic(partner.StaticConfig{
		Environment: partner.EnvTest,
		Partners:    []*partner.Partner{{EntityID: idpID, Metadata: ed}},
		Now:         clk.Now,
	})
	require.NoError(t, err)
	_, err = clocked.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	clk.Advance(time.Hour)
	_, err = clocked.Lookup(t.Context(), idpID)
	require.ErrorIs(t, err, partner.ErrExpired)

	bad := []struct {
		name string
		env  string
		ps   []*partner.Partner
	}{
		{"bad environment", "", nil},
		{"nil partner", partner.EnvTest, []*partner.Partner{nil}},
		{"no metadata", partner.EnvTest, []*partner.Partner{{EntityID: idpID}}},
		{"other environment N23", partner.EnvProduction, []*partner.Partner{{EntityID: idpID, Environment: partner.EnvTest, Metadata: ed}}},
		{"entityID mismatch", partner.EnvTest, []*partner.Partner{{EntityID: "x", Metadata: ed}}},
		{"duplicate", partner.EnvTest, []*partner.Partner{{EntityID: idpID, Metadata: ed}, {EntityID: idpID, Metadata: ed}}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := partner.Static(tt.env, tt.ps...)
			require.ErrorIs(t, err, partner.ErrInvalidConfig)
		})
	}
}

func TestInitialSuspensions(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	r, err := partner.New(t.Context(), partner.Config{
		Environment: partner.EnvTest,
		Sources:     []partner.Source{{Environment: partner.EnvTest, Data: signedIdP(t, k, idpID, clk.Now(), time.Hour), Verifier: k.verify}},
		Suspended:   map[string]string{idpID: "suspended by the operator"},
		Now:         clk.Now,
	})
	require.NoError(t, err)
	p, err := r.Lookup(t.Context(), idpID)
	require.ErrorIs(t, err, partner.ErrSuspended)
	require.Equal(t, "suspended by the operator", p.SuspendedNotice)
}

func TestRefreshChangesEntities(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	a := idpEntity(t, "https://a.example.eu/md", k.partner.Certificate, clk.Now(), time.Hour, 0)
	b := idpEntity(t, "https://b.example.eu/md", k.partner.Certificate, clk.Now(), time.Hour, 0)
	md, srv := newServer(t, aggregate(t, k.signer, clk.Now().Add(time.Hour), a, b))
	other := signedIdP(t, k, idpID, clk.Now(), time.Hour)
	var logs bytes.Buffer
	cfg := urlConfig(srv, k, clk)
	cfg.Sources = append(cfg.Sources, partner.Source{Name: "local", Environment: partner.EnvTest, Data: other, Verifier: k.verify})
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	r, err := partner.New(t.Context(), cfg)
	require.NoError(t, err)
	require.Len(t, r.Partners(), 3)

	// An entity the publisher withdrew is gone after the refresh.
	md.set(aggregate(t, k.signer, clk.Now().Add(time.Hour), a))
	require.NoError(t, r.Refresh(t.Context()))
	_, err = r.Lookup(t.Context(), b.EntityID)
	require.ErrorIs(t, err, partner.ErrUnknownPartner)

	// A document claiming another source's entity is refused whole.
	hijack := idpEntity(t, idpID, newKeys(t).partner.Certificate, clk.Now(), time.Hour, 0)
	md.set(aggregate(t, k.signer, clk.Now().Add(time.Hour), a, hijack))
	err = r.Refresh(t.Context())
	require.ErrorIs(t, err, partner.ErrConflict)
	p, err := r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.Equal(t, "local", p.Source)
	require.True(t, signingCert(t, p.Metadata).Equal(k.partner.Certificate))
	require.Contains(t, logs.String(), `"msg":"partner: refresh failed; keeping the last good metadata"`)
	require.Contains(t, logs.String(), `"source":"nias-test"`)
	require.Contains(t, logs.String(), `"environment":"test"`)
}

func TestNewCancelled(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	md, srv := newServer(t, signedIdP(t, k, idpID, clk.Now(), time.Hour))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := partner.New(ctx, urlConfig(srv, k, clk))
	require.ErrorIs(t, err, partner.ErrFetch)
	require.ErrorIs(t, err, context.Canceled)
	hits, _, _, _ := md.counts()
	require.Zero(t, hits)
}
