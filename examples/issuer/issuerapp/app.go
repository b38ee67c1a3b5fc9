package issuerapp

import (
	"context"
	"crypto/rand"
	"crypto/x509"
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

	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/examples/internal/demo"
	"github.com/eidkit/eidkit/internal/devcert"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml/idp"
)

// Run is the issuer command: it parses args, then serves until ctx is
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

// app is a running issuer: the IdP template, the demo users and the pages.
type app struct {
	cfg     *resolved
	idp     *idp.IdP
	sps     *trustedSPs
	dir     *directory
	origin  string
	baseURL string
	log     *slog.Logger
}

// resolved is a Config with defaults applied.
type resolved struct {
	Config
}

// Serve runs the issuer described by cfg until ctx is cancelled, then
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

func resolve(cfg Config) *resolved {
	rc := &resolved{Config: cfg}
	if rc.Addr == "" {
		rc.Addr = DefaultAddr
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

// newApp loads or creates the keys and secrets and builds the IdP.
func newApp(rc *resolved, origin string) (*app, error) {
	kp, err := devcert.LoadOrCreate(rc.DataDir, KeyName, devcert.Options{
		Algorithm: devcert.P256,
		Subject:   pkix.Name{CommonName: "eidkit demo issuer", Organization: []string{"eidkit demo"}, Country: []string{"HR"}},
	})
	if err != nil {
		return nil, err
	}
	pidKey, err := loadOrCreateSecret(rc.DataDir, "persistent-id.key", 32, rc.Rand)
	if err != nil {
		return nil, err
	}
	dir, err := newDirectory(rc.DataDir, rc.Rand, password.Config{})
	if err != nil {
		return nil, err
	}
	reg, err := loa.New(loa.RegistryConfig{})
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(rc.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := &app{cfg: rc, sps: &trustedSPs{}, dir: dir, origin: origin, baseURL: origin + "/saml", log: log}
	authn := &authenticator{dir: dir, loa: reg, now: rc.Now, rand: rc.Rand, log: log, logins: map[string]*login{}}
	if rc.ShowCodes {
		authn.showCodes = rc.Stdout
	}
	a.idp, err = idp.New(idp.Config{
		EntityID: a.baseURL + "/metadata", BaseURL: a.baseURL,
		Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate},
		SignResponse: true, SPs: a.sps, Authenticator: authn,
		Levels: []loa.Level{passwordLevel, secondFactorLevel}, LoA: reg,
		PersistentIDKey:      pidKey,
		AllowInsecureCookies: true, // plain HTTP on loopback only (checked above)
		Now:                  rc.Now, Rand: rc.Rand, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// handler mounts the IdP's endpoints under /saml and the pages.
func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	a.idp.Mount(mux, "/saml")
	mux.HandleFunc("GET /{$}", a.serveHome)
	mux.HandleFunc("GET /readyz", a.serveReady)
	return mux
}

// serve serves ln until ctx ends; the metadata watcher runs alongside.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	a.banner()
	return demo.Serve(ctx, ln, a.handler(), a.log, func(bg context.Context) error {
		return a.sps.Watch(bg, trustConfig(a.cfg), a.log)
	})
}

// banner prints where to click.
func (a *app) banner() {
	w := a.cfg.Stdout
	fmt.Fprintf(w, "eidkit demo issuer (credential issuer, saml/idp)\n")
	fmt.Fprintf(w, "  open         %s/\n", a.origin)
	fmt.Fprintf(w, "  metadata     %s/metadata\n", a.baseURL)
	fmt.Fprintf(w, "  data         %s (keys generated on first run, reused afterwards)\n", a.cfg.DataDir)
	fmt.Fprintf(w, "  e-service    %s (trusted once fetched; signature checked with %s)\n", a.cfg.SPMetadataURL, a.cfg.SPCertFile)
	fmt.Fprintf(w, "  demo users   %s / %s (LoA substantial); %s / %s + one-time code (LoA high)\n",
		DemoUserAna, DemoPasswordAna, DemoUserIvan, DemoPasswordIvan)
	fmt.Fprintf(w, "  ivan's TOTP  %s\n", otpauthURI("eidkit demo issuer", DemoUserIvan, a.dir.users[DemoUserIvan].totp.key))
	fmt.Fprintf(w, "  WARNING      plain HTTP on loopback for development (AllowInsecureCookies); never in production\n")
	if u, err := url.Parse(a.cfg.SPMetadataURL); err == nil {
		fmt.Fprintf(w, "then start the e-service (go run ./examples/eservice) and open %s://%s/\n", u.Scheme, u.Host)
	}
}

// serveHome is the issuer's start page.
func (a *app) serveHome(w http.ResponseWriter, r *http.Request) {
	partners, trust := a.sps.Status()
	data := homeData{Title: "Demo credential issuer", EntityID: a.baseURL + "/metadata", MetadataURL: a.baseURL + "/metadata",
		LogoutURL: a.baseURL + idp.PathLogout, SPMetadataURL: a.cfg.SPMetadataURL, Trust: trust, Partners: partners, Demo: demoHints}
	if err := writePage(w, http.StatusOK, homeTemplate, data); err != nil {
		a.log.Warn("issuer: home page failed", "error", err)
	}
}

// serveReady answers 200 once the e-service metadata is trusted, else 503
// (for scripts and the end-to-end test).
func (a *app) serveReady(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if partners, _ := a.sps.Status(); len(partners) == 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "waiting for e-service metadata")
		return
	}
	fmt.Fprintln(w, "ready")
}
