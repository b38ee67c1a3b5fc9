package partner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
)

// sourceState is a configured source and its refresh bookkeeping. The
// bookkeeping fields are guarded by Registry.refreshMu.
type sourceState struct {
	idx  int
	name string
	src  Source // resolved private copy
	opts metadata.ParseOptions

	etag, lastModified string
	fileMod            time.Time
	fileSize           int64
	cacheDuration      time.Duration // of the installed document
	validUntil         time.Time     // of the installed document
	loaded             bool
	next               time.Time // zero: never refreshed (Data sources)
	failures           int
}

// document is a freshly parsed and filtered metadata document.
type document struct {
	entities      []*metadata.EntityDescriptor
	expired       []string
	cacheDuration time.Duration // shortest advertised; zero if none
	validUntil    time.Time     // earliest; zero if none

	etag, lastModified string // HTTP validators of a fetched document
	fileMod            time.Time
	fileSize           int64
}

func newSourceState(i int, s Source, rc resolvedConfig) *sourceState {
	st := &sourceState{idx: i, src: s}
	st.src.Data = slices.Clone(s.Data)
	st.src.Entities = slices.Clone(s.Entities)
	switch {
	case s.Name != "":
		st.name = s.Name
	case s.File != "":
		st.name = s.File
	case s.URL != "":
		st.name = s.URL
	default:
		st.name = fmt.Sprintf("data[%d]", i)
	}
	var v *dsig.Verifier
	if s.Verifier != nil {
		vc := *s.Verifier // a private copy: the caller's stays untouched
		vc.Certificates = slices.Clone(s.Verifier.Certificates)
		if vc.Now == nil {
			vc.Now = rc.now
		}
		v = &vc
	}
	st.opts = metadata.ParseOptions{
		Verifier:          v,
		AllowUnsigned:     s.AllowUnsigned,
		Now:               rc.now,
		Limits:            saml.Limits{MaxBytes: rc.maxBytes, MaxElements: rc.maxElements},
		RequireValidUntil: !s.AllowNoValidUntil,
		MaxValidity:       s.MaxValidity,
		MaxEntities:       rc.maxEntities,
	}
	return st
}

// refreshable reports whether the source can change after New.
func (s *sourceState) refreshable() bool { return s.src.Data == nil }

// New validates cfg, loads every source once and returns the registry. It
// fails if any source cannot be loaded, naming each failed source in a
// *SourceError, so that a misconfigured template fails at start. Start
// background refreshes with Run.
func New(ctx context.Context, cfg Config) (*Registry, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rc := resolve(&cfg)
	r := newRegistry(rc)
	r.fetch = newFetcher(rc, cfg.HTTPClient)
	for i := range cfg.Sources {
		r.sources = append(r.sources, newSourceState(i, cfg.Sources[i], rc))
	}
	var errs []error
	for _, s := range r.sources {
		if err := r.refreshSource(ctx, s); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for id, notice := range cfg.Suspended {
		r.suspended[id] = notice
	}
	return r, nil
}

// refreshSource loads s and installs its document. On failure the last
// good metadata stays and the next attempt is scheduled with backoff.
func (r *Registry) refreshSource(ctx context.Context, s *sourceState) error {
	doc, err := r.load(ctx, s)
	if err == nil {
		err = r.install(s, doc)
	}
	now := r.cfg.now()
	if err != nil {
		s.failures++
		if s.refreshable() {
			s.next = now.Add(r.backoff(s.failures))
		}
		serr := &SourceError{Index: s.idx, Name: s.name, Err: err}
		if s.loaded {
			r.log.Warn("partner: refresh failed; keeping the last good metadata",
				"source", s.name, "err", err, "next", s.next)
		}
		return serr
	}
	s.failures = 0
	s.loaded = true
	if doc != nil {
		// Validators and file stamps are kept only for an installed
		// document, so a refused one is read again in full next time.
		s.etag, s.lastModified = doc.etag, doc.lastModified
		s.fileMod, s.fileSize = doc.fileMod, doc.fileSize
		s.cacheDuration, s.validUntil = doc.cacheDuration, doc.validUntil
	}
	if s.refreshable() {
		s.next = now.Add(r.interval(s, now))
	}
	return nil
}

// backoff doubles MinRefresh per consecutive failure, up to RefreshInterval.
func (r *Registry) backoff(failures int) time.Duration {
	d := r.cfg.minRefresh
	for i := 1; i < failures && d < r.cfg.refresh; i++ {
		d *= 2
	}
	return min(d, r.cfg.refresh)
}

// interval is the time to the next refresh: the document's cacheDuration
// (SAML metadata §2.2.1) or RefreshInterval, and no later than halfway to
// its validUntil, bounded by MinRefresh and RefreshInterval.
// The hints are those of the installed document, also after a 304.
func (r *Registry) interval(s *sourceState, now time.Time) time.Duration {
	d := r.cfg.refresh
	if s.cacheDuration > 0 {
		d = min(d, s.cacheDuration)
	}
	if !s.validUntil.IsZero() {
		d = min(d, s.validUntil.Sub(now)/2)
	}
	return max(d, r.cfg.minRefresh)
}

// load reads s and parses it; a nil document with a nil error means the
// source has not changed since it was last loaded.
func (r *Registry) load(ctx context.Context, s *sourceState) (*document, error) {
	var data []byte
	switch {
	case s.src.Data != nil:
		if s.loaded {
			return nil, nil
		}
		data = s.src.Data
	case s.src.File != "":
		b, fi, err := r.readFile(s)
		if err != nil || b == nil {
			return nil, err
		}
		doc, err := r.parse(s, b)
		if err != nil {
			return nil, err
		}
		doc.fileMod, doc.fileSize = fi.ModTime(), fi.Size()
		return doc, nil
	default:
		f, err := r.fetch.get(ctx, s.src.URL, s.src.AllowInsecureHTTP, s.etag, s.lastModified)
		if err != nil {
			return nil, err
		}
		if f.notModified {
			r.log.Debug("partner: metadata not modified", "source", s.name)
			return nil, nil
		}
		doc, err := r.parse(s, f.body)
		if err != nil {
			return nil, err
		}
		doc.etag, doc.lastModified = f.etag, f.lastModified
		return doc, nil
	}
	return r.parse(s, data)
}

// readFile reads the source file. It returns nil data when the file's size
// and modification time are those of the document already installed.
func (r *Registry) readFile(s *sourceState) ([]byte, os.FileInfo, error) {
	f, err := os.Open(s.src.File)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if s.loaded && fi.ModTime().Equal(s.fileMod) && fi.Size() == s.fileSize {
		return nil, fi, nil
	}
	if fi.Size() > int64(r.cfg.maxBytes) {
		return nil, nil, fmt.Errorf("%w: %d bytes exceeds %d", ErrTooLarge, fi.Size(), r.cfg.maxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, int64(r.cfg.maxBytes)+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > r.cfg.maxBytes {
		return nil, nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, r.cfg.maxBytes)
	}
	return data, fi, nil
}

// parse verifies and parses data and applies the source's entity filter.
func (r *Registry) parse(s *sourceState, data []byte) (*document, error) {
	agg, err := metadata.ParseEntities(data, s.opts)
	if err != nil {
		return nil, err
	}
	doc := &document{cacheDuration: agg.CacheDuration, validUntil: agg.ValidUntil}
	for _, e := range agg.Entities {
		if len(s.src.Entities) > 0 && !slices.Contains(s.src.Entities, e.EntityID) {
			continue
		}
		doc.entities = append(doc.entities, e)
		if e.CacheDuration > 0 && (doc.cacheDuration == 0 || e.CacheDuration < doc.cacheDuration) {
			doc.cacheDuration = e.CacheDuration
		}
		if !e.ValidUntil.IsZero() && (doc.validUntil.IsZero() || e.ValidUntil.Before(doc.validUntil)) {
			doc.validUntil = e.ValidUntil
		}
	}
	for _, id := range agg.Expired {
		if len(s.src.Entities) == 0 || slices.Contains(s.src.Entities, id) {
			doc.expired = append(doc.expired, id)
		}
	}
	if len(doc.expired) > 0 {
		r.log.Warn("partner: expired entities left out", "source", s.name, "entity_ids", doc.expired)
	}
	if !s.loaded {
		for _, id := range s.src.Entities {
			if doc.find(id) == nil && !slices.Contains(doc.expired, id) {
				return nil, fmt.Errorf("%w: Entities lists %q, which the document does not hold", ErrUnknownPartner, id)
			}
		}
	}
	if len(doc.entities) == 0 {
		return nil, fmt.Errorf("%w: no usable entity in the document", ErrSource)
	}
	return doc, nil
}

func (d *document) find(id string) *metadata.EntityDescriptor {
	for _, e := range d.entities {
		if e.EntityID == id {
			return e
		}
	}
	return nil
}

// install replaces the entities of s with doc under the lock, unless one of
// them belongs to another source (ErrConflict). A nil doc (unchanged)
// only marks the current entities as confirmed.
func (r *Registry) install(s *sourceState, doc *document) error {
	now := r.cfg.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if doc == nil {
		for id, e := range r.index {
			if e.owner == s {
				// Entries are immutable once published: Lookup reads them
				// outside the lock.
				r.index[id] = newEntry(e.md, s, e.source, now)
			}
		}
		return nil
	}
	ids := make(map[string]bool, len(doc.entities)+len(doc.expired))
	for _, id := range append(doc.ids(), doc.expired...) {
		if e, ok := r.index[id]; ok && e.owner != s {
			return fmt.Errorf("%w: %q is also provided by source %q", ErrConflict, id, e.source)
		}
		if src, ok := r.expired[id]; ok && src != s {
			return fmt.Errorf("%w: %q is also provided by source %q", ErrConflict, id, src.name)
		}
		ids[id] = true
	}
	for id, e := range r.index {
		if e.owner == s && !ids[id] {
			r.log.Warn("partner: entity no longer in its metadata", "source", s.name, "entity_id", id)
			delete(r.index, id)
		}
	}
	for id, src := range r.expired {
		if src == s {
			delete(r.expired, id)
		}
	}
	for _, e := range doc.entities {
		r.index[e.EntityID] = newEntry(e, s, s.name, now)
	}
	for _, id := range doc.expired {
		r.expired[id] = s
	}
	r.log.Info("partner: metadata loaded", "source", s.name, "entities", len(doc.entities),
		"valid_until", doc.validUntil)
	return nil
}

func (d *document) ids() []string {
	out := make([]string, len(d.entities))
	for i, e := range d.entities {
		out[i] = e.EntityID
	}
	return out
}
