package partner_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/partner"
)

// handlerTransport serves requests from an http.Handler in memory, so that
// Run can be tested inside a synctest bubble without real sockets.
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

func runConfig(md *mdServer, k keys) partner.Config {
	return partner.Config{
		Environment: partner.EnvTest,
		Sources: []partner.Source{{
			Environment: partner.EnvTest,
			URL:         "https://nias.example.hr/metadata",
			Verifier:    k.verify,
		}},
		HTTPClient:      &http.Client{Transport: handlerTransport{md}},
		RefreshInterval: time.Hour,
		MinRefresh:      time.Minute,
		RetryMax:        -1,
	}
}

// startRun runs r.Run until the test ends and checks that it stops.
func startRun(t *testing.T, r *partner.Registry) context.CancelFunc {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	synctest.Wait()
	require.ErrorIs(t, r.Run(ctx), partner.ErrAlreadyRunning)
	t.Cleanup(func() {
		cancel()
		synctest.Wait()
		select {
		case err := <-done:
			require.NoError(t, err)
		default:
			t.Error("Run did not return after cancel")
		}
	})
	return cancel
}

func TestRunRefreshesOnSchedule(t *testing.T) {
	t.Parallel()
	k, rolled := newKeys(t), newKeys(t)
	rolled.signer, rolled.verify = k.signer, k.verify
	synctest.Test(t, func(t *testing.T) {
		md := &mdServer{body: signedIdP(t, k, idpID, time.Now(), 48*time.Hour)}
		r, err := partner.New(t.Context(), runConfig(md, k))
		require.NoError(t, err)
		startRun(t, r)

		time.Sleep(time.Hour - time.Second)
		synctest.Wait()
		hits, _, _, _ := md.counts()
		require.Equal(t, 1, hits, "no refresh before RefreshInterval")

		time.Sleep(2 * time.Second)
		synctest.Wait()
		hits, _, notModified, _ := md.counts()
		require.Equal(t, []int{2, 1}, []int{hits, notModified}, "an unchanged document answers 304")

		md.set(signedIdP(t, rolled, idpID, time.Now(), 48*time.Hour))
		time.Sleep(time.Hour)
		synctest.Wait()
		p, err := r.Lookup(t.Context(), idpID)
		require.NoError(t, err)
		require.True(t, signingCert(t, p.Metadata).Equal(rolled.partner.Certificate))

		// Failures back off from MinRefresh, doubling: +1m, +2m, +4m.
		md.fail(http.StatusServiceUnavailable)
		time.Sleep(time.Hour)
		synctest.Wait()
		hits, _, _, _ = md.counts()
		for _, step := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
			time.Sleep(step)
			synctest.Wait()
			now, _, _, _ := md.counts()
			require.Equal(t, hits+1, now, "retry after %v", step)
			hits = now
		}
		// The last good metadata still serves.
		_, err = r.Lookup(t.Context(), idpID)
		require.NoError(t, err)
	})
}

func TestRunHonoursCacheDurationAndValidUntil(t *testing.T) {
	t.Parallel()
	k := newKeys(t)
	tests := []struct {
		name      string
		validFor  time.Duration
		cache     time.Duration
		wantAfter time.Duration
	}{
		{"cacheDuration sooner than RefreshInterval", 48 * time.Hour, 10 * time.Minute, 10 * time.Minute},
		{"cacheDuration below MinRefresh", 48 * time.Hour, time.Second, time.Minute},
		{"cacheDuration above RefreshInterval", 48 * time.Hour, 5 * time.Hour, time.Hour},
		{"validUntil near: halfway", 30 * time.Minute, 0, 15 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				out, err := idpEntity(t, idpID, k.partner.Certificate, time.Now(), tt.validFor, tt.cache).Sign(k.signer)
				require.NoError(t, err)
				md := &mdServer{body: out}
				r, err := partner.New(t.Context(), runConfig(md, k))
				require.NoError(t, err)
				startRun(t, r)

				time.Sleep(tt.wantAfter - time.Second)
				synctest.Wait()
				hits, _, _, _ := md.counts()
				require.Equal(t, 1, hits)
				time.Sleep(2 * time.Second)
				synctest.Wait()
				hits, _, notModified, _ := md.counts()
				require.Equal(t, []int{2, 1}, []int{hits, notModified})
				if tt.validFor > time.Hour {
					// After a 304 the installed document's hint still applies.
					time.Sleep(tt.wantAfter)
					synctest.Wait()
					hits, _, _, _ = md.counts()
					require.Equal(t, 3, hits)
				}
			})
		})
	}
}

func TestRunStaticWaitsForCancel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r, err := partner.Static(partner.EnvTest)
		require.NoError(t, err)
		startRun(t, r)
		time.Sleep(24 * time.Hour)
	})
}
