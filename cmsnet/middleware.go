package cmsnet

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// DefaultForwardedHeader is the header MiddlewareConfig reads from trusted
// proxies when ForwardedHeader is empty.
const DefaultForwardedHeader = "X-Forwarded-For"

// MiddlewareConfig configures Middleware. It is plain data.
type MiddlewareConfig struct {
	// Policy decides; required.
	Policy *Policy
	// Service and Environment name the publication this server is; required.
	Service     string
	Environment Environment
	// Port is the endpoint port the server is published on. Zero means the
	// port of the local address the request arrived on
	// (http.LocalAddrContextKey); a request without one is denied.
	Port uint16
	// AllowForwardedFrom names the proxies whose forwarded-for header is
	// trusted. Risk: any address in these prefixes can claim any client
	// address; list only your own reverse proxies. Empty means the header
	// is ignored and the TCP peer is the source.
	AllowForwardedFrom []netip.Prefix
	// ForwardedHeader is the header read from trusted proxies; empty means
	// DefaultForwardedHeader.
	ForwardedHeader string
	// Logger receives one record per denied request; nil means slog.Default().
	Logger *slog.Logger
}

// Validate reports every problem with the configuration.
func (c MiddlewareConfig) Validate() error {
	var errs []error
	if c.Policy == nil {
		errs = append(errs, fmt.Errorf("%w: MiddlewareConfig.Policy is nil", ErrConfig))
	} else if _, ok := c.Policy.index[svcEnv{c.Service, c.Environment}]; !ok {
		errs = append(errs, fmt.Errorf("%w: MiddlewareConfig: service %q is not published to %q", ErrConfig, c.Service, c.Environment))
	}
	for _, p := range c.AllowForwardedFrom {
		if !p.IsValid() {
			errs = append(errs, fmt.Errorf("%w: MiddlewareConfig.AllowForwardedFrom has an invalid prefix", ErrConfig))
		}
	}
	if c.ForwardedHeader != "" && c.ForwardedHeader != http.CanonicalHeaderKey(c.ForwardedHeader) {
		errs = append(errs, fmt.Errorf("%w: MiddlewareConfig.ForwardedHeader %q is not in canonical form", ErrConfig, c.ForwardedHeader))
	}
	return errors.Join(errs...)
}

// Middleware returns an http.Handler wrapper that admits a request only
// when the policy allows a TCP flow from its source to the configured
// service, environment and port; others get 403 Forbidden.
func Middleware(cfg MiddlewareConfig) (func(http.Handler) http.Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &guard{cfg: cfg, header: cfg.ForwardedHeader, log: cfg.Logger}
	m.cfg.AllowForwardedFrom = append([]netip.Prefix(nil), cfg.AllowForwardedFrom...)
	if m.header == "" {
		m.header = DefaultForwardedHeader
	}
	if m.log == nil {
		m.log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			flow, err := m.flow(r)
			var d Decision
			if err == nil {
				d = cfg.Policy.Decide(flow)
			}
			if err != nil || !d.Allowed {
				m.deny(w, r, flow, d, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}, nil
}

type guard struct {
	cfg    MiddlewareConfig
	header string
	log    *slog.Logger
}

var errNoPort = errors.New("cmsnet: request has no local port")

func (m *guard) flow(r *http.Request) (Flow, error) {
	f := Flow{Service: m.cfg.Service, Environment: m.cfg.Environment, Protocol: TCP, Port: m.cfg.Port}
	if f.Port == 0 {
		la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		if !ok {
			return f, errNoPort
		}
		ap, err := netip.ParseAddrPort(la.String())
		if err != nil {
			return f, errNoPort
		}
		f.Port = ap.Port()
	}
	src, err := m.source(r)
	f.Source = src
	return f, err
}

// source is the TCP peer, or, when the peer is a trusted proxy, the
// right-most address in the forwarded-for header that is not a trusted
// proxy.
func (m *guard) source(r *http.Request) (netip.Addr, error) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("cmsnet: remote address %q: %w", r.RemoteAddr, err)
	}
	peer := ap.Addr().Unmap()
	if !m.trusted(peer) {
		return peer, nil
	}
	hops := forwardedHops(r.Header.Values(m.header))
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return netip.Addr{}, fmt.Errorf("cmsnet: %s hop %q is not an address", m.header, hops[i])
		}
		client = a.Unmap()
		if !m.trusted(client) {
			break
		}
	}
	return client, nil
}

func forwardedHops(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	return hops
}

func (m *guard) trusted(a netip.Addr) bool {
	for _, p := range m.cfg.AllowForwardedFrom {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (m *guard) deny(w http.ResponseWriter, r *http.Request, f Flow, d Decision, err error) {
	attrs := []slog.Attr{slog.String("remote", r.RemoteAddr), slog.String("flow", f.String())}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	} else {
		attrs = append(attrs, slog.String("reason", string(d.Reason)))
		if d.Rule != nil {
			attrs = append(attrs, slog.String("rule", d.Rule.String()))
		}
	}
	m.log.LogAttrs(r.Context(), slog.LevelWarn, "cmsnet: request denied", attrs...)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(forbiddenBody)))
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(forbiddenBody))
}

const forbiddenBody = "forbidden\n"
