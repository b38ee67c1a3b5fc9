package eserviceapp

import (
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/eidkit/eidkit/examples/internal/demo"
	"github.com/eidkit/eidkit/internal/devcert"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/sp"
)

// Session lengths the e-service chooses (N16).
const (
	sessionMaxAge      = time.Hour
	sessionIdleTimeout = 15 * time.Minute
)

// Run is the eservice command: it parses args, then serves until ctx is
// cancelled (SIGINT in main) and shuts down gracefully. -h prints usage
// and returns nil.
func Run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := ParseArgs(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg.Stdout = stdout
	return Serve(ctx, cfg)
}

// resolved is a Config with defaults applied.
type resolved struct {
	Config
}

func resolve(cfg Config) *resolved {
	rc := &resolved{Config: cfg}
	if rc.Addr == "" {
		rc.Addr = DefaultAddr
	}
	if rc.IdPEntityID == "" {
		rc.IdPEntityID = rc.IdPMetadataURL
	}
	if rc.RetryInterval == 0 {
		rc.RetryInterval = DefaultRetryInterval
	}
	if rc.Stdout == nil {
		rc.Stdout = io.Discard
	}
	if rc.Now == nil {
		rc.Now = time.Now
	}
	if rc.Rand == nil {
		rc.Rand = rand.Reader
	}
	return rc
}

// app is a running e-service: the SP template and the pages.
type app struct {
	cfg       *resolved
	sp        *sp.SP
	idp       *trustedIdP
	origin    string
	idpOrigin string
	log       *slog.Logger
}

// Serve runs the e-service described by cfg until ctx is cancelled, then
// shuts the server down and waits for the background metadata refresh.
func Serve(ctx context.Context, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	rc := resolve(cfg)
	ln := rc.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", rc.Addr); err != nil {
			return err
		}
	}
	if err := checkLoopbackAddr(ln.Addr().String()); err != nil {
		ln.Close()
		return err
	}
	a, err := newApp(rc, "http://"+ln.Addr().String())
	if err != nil {
		ln.Close()
		return err
	}
	return a.serve(ctx, ln)
}

// newApp loads or creates the key pair and cookie key and builds the SP.
func newApp(rc *resolved, origin string) (*app, error) {
	kp, err := devcert.LoadOrCreate(rc.DataDir, KeyName, devcert.Options{
		Algorithm: devcert.P256,
		Subject:   pkix.Name{CommonName: "eidkit demo e-service", Organization: []string{"eidkit demo"}, Country: []string{"HR"}},
	})
	if err != nil {
		return nil, err
	}
	cookieKey, err := loadOrCreateSecret(rc.DataDir, "cookie.key", sp.CookieKeySize, rc.Rand)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(rc.IdPMetadataURL) // Validate checked it
	log := slog.New(slog.NewTextHandler(rc.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := &app{cfg: rc, idp: &trustedIdP{}, origin: origin, idpOrigin: u.Scheme + "://" + u.Host, log: log}
	base := origin + "/saml"
	a.sp, err = sp.New(sp.Config{
		EntityID: base + "/metadata", BaseURL: base,
		Key: kp.Key, Certificate: kp.Certificate,
		IdPEntityID: rc.IdPEntityID, IdPs: a.idp,
		RequireSignedResponse: true, RequireSignedAssertion: true, // the demo issuer signs both
		DefaultLevel:      loa.Notified(loa.Low),
		NameIDFormat:      saml.NameIDFormatPersistent,
		CookieKey:         cookieKey,
		AllowInsecureHTTP: true, // plain HTTP on loopback only (checked above)
		SessionMaxAge:     sessionMaxAge, SessionIdleTimeout: sessionIdleTimeout,
		OnLogin: func(_ http.ResponseWriter, r *http.Request, id *sp.Identity) error {
			log.InfoContext(r.Context(), "eservice: signed in", "loa", id.LoAClassRef, "assertion", id.AssertionID)
			return nil
		},
		Now: rc.Now, Rand: rc.Rand, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// handler mounts the SP endpoints under /saml and the pages.
func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	a.sp.Mount(mux)
	mux.HandleFunc("GET /{$}", a.serveHome)
	mux.HandleFunc("GET /readyz", a.serveReady)
	mux.Handle("GET /profile", a.sp.RequireLoA(loa.Notified(loa.Low))(http.HandlerFunc(a.serveProfile)))
	mux.Handle("GET /substantial", a.sp.RequireLoA(loa.Notified(loa.Substantial))(http.HandlerFunc(a.serveSubstantial)))
	mux.Handle("GET /high", a.sp.RequireLoA(loa.Notified(loa.High))(http.HandlerFunc(a.serveHigh)))
	return mux
}

// serve serves ln until ctx ends; the metadata watcher runs alongside.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	a.banner()
	return demo.Serve(ctx, ln, a.handler(), a.log, func(bg context.Context) error {
		return a.idp.Watch(bg, trustConfig(a.cfg), a.log)
	})
}

// banner prints where to click.
func (a *app) banner() {
	w := a.cfg.Stdout
	fmt.Fprintf(w, "eidkit demo e-service (saml/sp)\n")
	fmt.Fprintf(w, "  open         %s/\n", a.origin)
	fmt.Fprintf(w, "  pages        %s/substantial (LoA substantial), %s/high (LoA high, step-up), %s/profile\n", a.origin, a.origin, a.origin)
	fmt.Fprintf(w, "  metadata     %s\n", a.sp.MetadataURL())
	fmt.Fprintf(w, "  data         %s (keys generated on first run, reused afterwards)\n", a.cfg.DataDir)
	fmt.Fprintf(w, "  issuer       %s (trusted once fetched; signature checked with %s)\n", a.cfg.IdPMetadataURL, a.cfg.IdPCertFile)
	fmt.Fprintf(w, "  WARNING      plain HTTP on loopback for development (AllowInsecureHTTP); never in production\n")
}

// serveReady answers 200 once the issuer metadata is trusted, else 503
// (for scripts and the end-to-end test).
func (a *app) serveReady(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if partners, _ := a.idp.Status(); len(partners) == 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "waiting for issuer metadata")
		return
	}
	fmt.Fprintln(w, "ready")
}
