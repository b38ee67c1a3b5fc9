package partner_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
)

// urlConfig is a test-environment config with one URL source on srv.
func urlConfig(srv *httptest.Server, k keys, clk *clock) partner.Config {
	return partner.Config{
		Environment: partner.EnvTest,
		Sources: []partner.Source{{
			Name:        "nias-test",
			Environment: partner.EnvTest,
			URL:         srv.URL + "/metadata",
			Verifier:    k.verify,
		}},
		HTTPClient:   srv.Client(),
		RetryMax:     2,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 2 * time.Millisecond,
		Now:          clk.Now,
	}
}

func TestNewFromURL(t *testing.T) {
	t.Parallel()
	k, clk := newKeysOf(t, samltest.RSA2048), newClock()
	_, srv := newServer(t, signedIdP(t, k, idpID, clk.Now(), 48*time.Hour))

	r, err := partner.New(t.Context(), urlConfig(srv, k, clk))
	require.NoError(t, err)
	require.Equal(t, partner.EnvTest, r.Environment())

	p, err := r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.Equal(t, idpID, p.EntityID)
	require.Equal(t, partner.EnvTest, p.Environment)
	require.Equal(t, "nias-test", p.Source)
	require.False(t, p.Suspended)
	require.True(t, p.ValidUntil.Equal(t0.Add(48*time.Hour)), "ValidUntil %v", p.ValidUntil)
	require.True(t, signingCert(t, p.Metadata).Equal(k.partner.Certificate))
	// N23: the signature was verified against the configured certificate.
	require.True(t, p.Metadata.SignedBy.Equal(k.verify.Certificates[0]))

	ps := r.Partners()
	require.Len(t, ps, 1)
	require.Equal(t, idpID, ps[0].EntityID)
}

func TestLookupErrors(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	_, srv := newServer(t, signedIdP(t, k, idpID, clk.Now(), 2*time.Hour))
	r, err := partner.New(t.Context(), urlConfig(srv, k, clk))
	require.NoError(t, err)
	ctx := t.Context()

	t.Run("unknown", func(t *testing.T) {
		p, err := r.Lookup(ctx, "https://stranger.example/metadata")
		require.Nil(t, p)
		require.ErrorIs(t, err, partner.ErrUnknownPartner)
		var le *partner.LookupError
		require.ErrorAs(t, err, &le)
		require.Equal(t, "https://stranger.example/metadata", le.EntityID)
		require.Equal(t, partner.EnvTest, le.Environment)
		require.ErrorIs(t, r.Suspend("https://stranger.example/metadata", "x"), partner.ErrUnknownPartner)
	})
	t.Run("empty entityID", func(t *testing.T) {
		_, err := r.Lookup(ctx, "")
		require.ErrorIs(t, err, partner.ErrUnknownPartner)
	})
	t.Run("suspended N25", func(t *testing.T) {
		require.NoError(t, r.Suspend(idpID, "Maintenance until 14:00."))
		p, err := r.Lookup(ctx, idpID)
		require.ErrorIs(t, err, partner.ErrSuspended)
		require.NotErrorIs(t, err, partner.ErrUnknownPartner)
		var le *partner.LookupError
		require.ErrorAs(t, err, &le)
		require.Equal(t, "Maintenance until 14:00.", le.Notice)
		require.NotNil(t, p, "the partner comes back so the notice can be shown")
		require.True(t, p.Suspended)
		require.Equal(t, "Maintenance until 14:00.", p.SuspendedNotice)
		require.Equal(t, map[string]string{idpID: "Maintenance until 14:00."}, r.Suspensions())
		require.True(t, r.Partners()[0].Suspended)

		r.Resume(idpID)
		p, err = r.Lookup(ctx, idpID)
		require.NoError(t, err)
		require.False(t, p.Suspended)
		require.Empty(t, r.Suspensions())
		r.Resume(idpID) // not suspended: no effect
	})
	t.Run("expired", func(t *testing.T) {
		clk.Advance(2*time.Hour + time.Second)
		p, err := r.Lookup(ctx, idpID)
		require.Nil(t, p)
		require.ErrorIs(t, err, partner.ErrExpired)
		require.ErrorIs(t, err, metadata.ErrExpired)
		require.NotErrorIs(t, err, partner.ErrUnknownPartner)
	})
}

func TestRefreshReplacesMetadata(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	md, srv := newServer(t, signedIdP(t, k, idpID, clk.Now(), 48*time.Hour))
	r, err := partner.New(t.Context(), urlConfig(srv, k, clk))
	require.NoError(t, err)

	// Unchanged: a conditional GET answered 304 keeps the metadata.
	require.NoError(t, r.Refresh(t.Context()))
	hits, full, notModified, conditional := md.counts()
	require.Equal(t, []int{2, 1, 1, 1}, []int{hits, full, notModified, conditional})
	p, err := r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.True(t, signingCert(t, p.Metadata).Equal(k.partner.Certificate))

	// Key rollover at the partner: the refreshed document replaces the old.
	rolled := k
	rolled.partner = newKeys(t).partner
	clk.Advance(time.Hour)
	md.set(signedIdP(t, rolled, idpID, clk.Now(), 48*time.Hour))
	require.NoError(t, r.Refresh(t.Context()))
	p, err = r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.True(t, signingCert(t, p.Metadata).Equal(rolled.partner.Certificate))
	require.True(t, p.UpdatedAt.Equal(clk.Now()))
}

func TestRefreshRefusedKeepsLastGood(t *testing.T) {
	t.Parallel()
	attacker := newKeys(t)
	tests := []struct {
		name    string
		serve   func(t *testing.T, k keys, now time.Time) []byte
		status  int
		wantErr error
	}{
		{"signed by an untrusted key", func(t *testing.T, _ keys, now time.Time) []byte {
			return signedIdP(t, attacker, idpID, now, 48*time.Hour)
		}, 0, metadata.ErrBadSignature},
		{"unsigned", func(t *testing.T, _ keys, now time.Time) []byte {
			b, err := idpEntity(t, idpID, attacker.partner.Certificate, now, 48*time.Hour, 0).Marshal()
			require.NoError(t, err)
			return b
		}, 0, metadata.ErrUnsigned},
		{"tampered after signing", func(t *testing.T, k keys, now time.Time) []byte {
			b := signedIdP(t, k, idpID, now, 48*time.Hour)
			return []byte(replaceOnce(t, string(b), "https://idp.example.hr/sso", "https://evil.example/sso"))
		}, 0, metadata.ErrBadSignature},
		{"already expired", func(t *testing.T, k keys, now time.Time) []byte {
			return signedIdP(t, k, idpID, now.Add(-72*time.Hour), 48*time.Hour)
		}, 0, metadata.ErrExpired},
		{"not XML", func(*testing.T, keys, time.Time) []byte { return []byte("<html>oops") }, 0, metadata.ErrMalformed},
		{"server error after retries", nil, http.StatusServiceUnavailable, partner.ErrFetch},
		{"not found", nil, http.StatusNotFound, partner.ErrFetch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, clk := newKeys(t), newClock()
			md, srv := newServer(t, signedIdP(t, k, idpID, clk.Now(), 3*time.Hour))
			r, err := partner.New(t.Context(), urlConfig(srv, k, clk))
			require.NoError(t, err)
			clk.Advance(time.Hour)
			if tt.serve != nil {
				md.set(tt.serve(t, k, clk.Now()))
			} else {
				md.fail(tt.status)
			}

			err = r.Refresh(t.Context())
			require.ErrorIs(t, err, partner.ErrSource)
			require.ErrorIs(t, err, tt.wantErr)
			var se *partner.SourceError
			require.ErrorAs(t, err, &se)
			require.Equal(t, "nias-test", se.Name)

			p, err := r.Lookup(t.Context(), idpID)
			require.NoError(t, err, "the last good metadata stays")
			require.True(t, signingCert(t, p.Metadata).Equal(k.partner.Certificate))
			require.True(t, p.UpdatedAt.Equal(t0))

			// Until its own validUntil; then the partner reads as expired.
			clk.Advance(2*time.Hour + time.Second)
			_, err = r.Lookup(t.Context(), idpID)
			require.ErrorIs(t, err, partner.ErrExpired)
		})
	}
}

func TestFetchRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		wantHits int
	}{
		{http.StatusServiceUnavailable, 1 + 2 + 1}, // New, then RetryMax=2 retries
		{http.StatusInternalServerError, 1 + 2 + 1},
		{http.StatusNotFound, 1 + 1},
		{http.StatusForbidden, 1 + 1},
		{http.StatusNotImplemented, 1 + 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			k, clk := newKeys(t), newClock()
			md, srv := newServer(t, signedIdP(t, k, idpID, clk.Now(), 48*time.Hour))
			r, err := partner.New(t.Context(), urlConfig(srv, k, clk))
			require.NoError(t, err)
			md.fail(tt.status)
			err = r.Refresh(t.Context())
			var fe *partner.FetchError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tt.status, fe.StatusCode)
			hits, _, _, _ := md.counts()
			require.Equal(t, tt.wantHits, hits)
		})
	}
}

func TestRefusedRefreshIsFetchedAgainInFull(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	md, srv := newServer(t, signedIdP(t, k, idpID, clk.Now(), 48*time.Hour))
	r, err := partner.New(t.Context(), urlConfig(srv, k, clk))
	require.NoError(t, err)

	md.set(signedIdP(t, newKeys(t), idpID, clk.Now(), 48*time.Hour))
	require.ErrorIs(t, r.Refresh(t.Context()), metadata.ErrBadSignature)
	require.ErrorIs(t, r.Refresh(t.Context()), metadata.ErrBadSignature,
		"the refused document's ETag must not be remembered")
	_, full, notModified, _ := md.counts()
	require.Equal(t, 3, full)
	require.Zero(t, notModified)
}

func TestConcurrentLookupDuringRefresh(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	docs := [][]byte{
		signedIdP(t, k, idpID, clk.Now(), 48*time.Hour),
		signedIdP(t, newKeys(t), idpID, clk.Now(), 48*time.Hour), // refused
		signedIdP(t, k, idpID, clk.Now().Add(time.Minute), 48*time.Hour),
	}
	md, srv := newServer(t, docs[0])
	r, err := partner.New(t.Context(), urlConfig(srv, k, clk))
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				p, err := r.Lookup(ctx, idpID)
				if err != nil && !errors.Is(err, partner.ErrSuspended) {
					errs <- err
					return
				}
				// Only documents signed by the trusted key are ever seen.
				if p == nil || !p.Metadata.IDP.SigningCertificates()[0].Equal(k.partner.Certificate) {
					errs <- errors.New("lookup saw metadata that was refused")
					return
				}
				_ = r.Partners()
			}
		})
	}
	for i := range 12 {
		md.set(docs[i%len(docs)])
		_ = r.Refresh(t.Context())
		if i%4 == 0 {
			require.NoError(t, r.Suspend(idpID, "x"))
			r.Resume(idpID)
		}
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestRoleValidUntilExpires(t *testing.T) {
	t.Parallel()
	k, clk := newKeys(t), newClock()
	ed := idpEntity(t, idpID, k.partner.Certificate, clk.Now(), 48*time.Hour, 0)
	ed.IDP.ValidUntil = clk.Now().Add(30 * time.Minute) // the role expires first
	data, err := ed.Sign(k.signer)
	require.NoError(t, err)
	r, err := partner.New(t.Context(), partner.Config{
		Environment: partner.EnvTest,
		Sources:     []partner.Source{{Environment: partner.EnvTest, Data: data, Verifier: k.verify}},
		Now:         clk.Now,
	})
	require.NoError(t, err)
	p, err := r.Lookup(t.Context(), idpID)
	require.NoError(t, err)
	require.True(t, p.ValidUntil.Equal(clk.Now().Add(30*time.Minute)), "ValidUntil is the earliest")

	clk.Advance(30 * time.Minute)
	_, err = r.Lookup(t.Context(), idpID)
	require.ErrorIs(t, err, partner.ErrExpired)
	require.ErrorIs(t, err, metadata.ErrExpired)
}
