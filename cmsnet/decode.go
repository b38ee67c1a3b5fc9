package cmsnet

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// pos is a 1-based source position.
type pos struct{ line, col, off int }

// positions maps a field path ("publications[2].endpoints[0].port") to where
// its value starts in the source.
type positions map[string]pos

// decoder turns the neutral tree into a Descriptor, collecting every error.
type decoder struct {
	errs  ErrorList
	pos   positions
	limit Limits
}

func (d *decoder) errorf(n *node, path, code string, sentinel error, format string, args ...any) {
	e := &Error{Path: path, Code: code, Message: fmt.Sprintf(format, args...), Err: sentinel}
	if n != nil {
		e.Line, e.Column, e.at = n.line, n.col, n.off+1
	}
	d.errs = append(d.errs, e)
}

func (d *decoder) mark(n *node, path string) {
	d.pos[path] = pos{n.line, n.col, n.off}
}

// fields checks that n is a mapping whose keys are all in known, exactly
// once, and returns the values by key.
func (d *decoder) fields(n *node, path string, known ...string) map[string]*node {
	if n.kind != kindMap {
		d.errorf(n, path, "invalid-value", ErrType, "want a mapping")
		return nil
	}
	out := make(map[string]*node, len(n.keys))
	for i, k := range n.keys {
		kp := join(path, k.value)
		if k.kind != kindScalar {
			d.errorf(k, path, "invalid-value", ErrType, "mapping key must be a string")
			continue
		}
		if _, dup := out[k.value]; dup {
			d.errorf(k, kp, "duplicate", ErrDuplicate, "field %q given twice", k.value)
			continue
		}
		if !contains(known, k.value) {
			d.errorf(k, kp, "unknown-field", ErrUnknownField, "unknown field %q (known: %s)", k.value, strings.Join(known, ", "))
			continue
		}
		out[k.value] = n.vals[i]
		d.mark(n.vals[i], kp)
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// list calls each for every item of the sequence m[key]; absent is empty.
func (d *decoder) list(m map[string]*node, key, path string, max int, each func(i int, n *node, p string)) {
	n, ok := m[key]
	if !ok || (n.kind == kindScalar && n.scalar == scalarNull) {
		return
	}
	p := join(path, key)
	if n.kind != kindSeq {
		d.errorf(n, p, "invalid-value", ErrType, "want a list")
		return
	}
	if len(n.items) > max {
		d.errorf(n, p, "too-large", ErrTooLarge, "%d items, at most %d allowed", len(n.items), max)
		return
	}
	for i, it := range n.items {
		ip := index(p, i)
		d.mark(it, ip)
		each(i, it, ip)
	}
}

func (d *decoder) required(m map[string]*node, n *node, path string, keys ...string) {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			d.errorf(n, join(path, k), "missing-field", ErrMissing, "field %q is required", k)
		}
	}
}

func (d *decoder) scalar(n *node, path string, want scalarKind, what string) (string, bool) {
	if n.kind != kindScalar || n.scalar != want {
		d.errorf(n, path, "invalid-value", ErrType, "want %s", what)
		return "", false
	}
	return n.value, true
}

func (d *decoder) str(m map[string]*node, key, path string) string {
	n, ok := m[key]
	if !ok {
		return ""
	}
	s, ok := d.scalar(n, join(path, key), scalarString, "a string")
	if ok && s == "" {
		d.errorf(n, join(path, key), "invalid-value", ErrType, "must not be empty")
	}
	if len(s) > d.limit.MaxStringBytes {
		d.errorf(n, join(path, key), "too-large", ErrTooLarge, "longer than %d bytes", d.limit.MaxStringBytes)
		return ""
	}
	return s
}

// enum reads a string that must be one of allowed.
func (d *decoder) enum(m map[string]*node, key, path string, allowed ...string) string {
	s := d.str(m, key, path)
	if s != "" && !contains(allowed, s) {
		d.errorf(m[key], join(path, key), "invalid-value", ErrType, "%q is not one of %s", s, strings.Join(allowed, ", "))
		return ""
	}
	return s
}

func (d *decoder) boolean(m map[string]*node, key, path string) bool {
	n, ok := m[key]
	if !ok {
		return false
	}
	s, _ := d.scalar(n, join(path, key), scalarBool, "true or false")
	return s == "true"
}

func (d *decoder) integer(m map[string]*node, key, path string, lo, hi int64) int64 {
	n, ok := m[key]
	if !ok {
		return 0
	}
	p := join(path, key)
	s, ok := d.scalar(n, p, scalarNumber, "an integer")
	if !ok {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < lo || v > hi {
		d.errorf(n, p, "invalid-value", ErrType, "%s is not an integer in %d..%d", s, lo, hi)
		return 0
	}
	return v
}

func (d *decoder) timestamp(m map[string]*node, key, path string) time.Time {
	s := d.str(m, key, path)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.errorf(m[key], join(path, key), "invalid-value", ErrType, "%q is not an RFC 3339 time", s)
	}
	return t
}

func (d *decoder) prefix(n *node, path string) (netip.Prefix, bool) {
	s, ok := d.scalar(n, path, scalarString, "an address prefix such as 10.0.0.0/8")
	if !ok {
		return netip.Prefix{}, false
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		d.errorf(n, path, "invalid-value", ErrType, "%q is not an address prefix such as 10.0.0.0/8", s)
		return netip.Prefix{}, false
	}
	if p.Addr().Is4In6() {
		d.errorf(n, path, "invalid-value", ErrType, "%q is an IPv4-mapped IPv6 prefix; write the IPv4 prefix", s)
		return netip.Prefix{}, false
	}
	if p != p.Masked() {
		d.errorf(n, path, "invalid-value", ErrType, "%q has host bits set; did you mean %s?", s, p.Masked())
		return netip.Prefix{}, false
	}
	return p, true
}

func (d *decoder) addr(n *node, path string) (netip.Addr, bool) {
	s, ok := d.scalar(n, path, scalarString, "an IP address")
	if !ok {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" || a.Is4In6() {
		d.errorf(n, path, "invalid-value", ErrType, "%q is not a plain IPv4 or IPv6 address", s)
		return netip.Addr{}, false
	}
	return a, true
}

func (d *decoder) prefixes(m map[string]*node, key, path string) []netip.Prefix {
	var out []netip.Prefix
	d.list(m, key, path, d.limit.MaxPrefixes, func(_ int, n *node, p string) {
		if v, ok := d.prefix(n, p); ok {
			out = append(out, v)
		}
	})
	return out
}

func (d *decoder) addrs(m map[string]*node, key, path string) []netip.Addr {
	var out []netip.Addr
	d.list(m, key, path, d.limit.MaxPrefixes, func(_ int, n *node, p string) {
		if v, ok := d.addr(n, p); ok {
			out = append(out, v)
		}
	})
	return out
}

func (d *decoder) strs(m map[string]*node, key, path string) []string {
	var out []string
	d.list(m, key, path, d.limit.MaxItems, func(_ int, n *node, p string) {
		if s, ok := d.scalar(n, p, scalarString, "a string"); ok {
			out = append(out, s)
		}
	})
	return out
}

func (d *decoder) port(m map[string]*node, key, path string) uint16 {
	return uint16(d.integer(m, key, path, 1, math.MaxUint16))
}
