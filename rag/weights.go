package rag

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// Weights holds every number the stages weigh evidence with. The defaults
// were chosen by measurement on the development and held-out sets; a file
// (YAML or JSON, keys as in the tags) may override any of them, for
// `policybot eval --weights FILE` and `--sweep name=from:to:step`.
type Weights struct {
	// retrieve and fuse
	ExpandedTerm float64 `yaml:"expanded_term" json:"expanded_term"` // lexical weight of a terms-table equivalent the question does not hold
	VectorWeight float64 `yaml:"vector_weight" json:"vector_weight"` // the vector list's weight in the fusion
	RRFK         float64 `yaml:"rrf_k" json:"rrf_k"`                 // the reciprocal-rank-fusion constant

	// rerank (the sentence reranker)
	RerankPool        int     `yaml:"rerank_pool" json:"rerank_pool"`                 // fused candidates reordered
	SentenceWeight    float64 `yaml:"sentence_weight" json:"sentence_weight"`         // the best sentence's coverage against the normalized fused score
	NamedDoc          float64 `yaml:"named_doc" json:"named_doc"`                     // bonus of a passage of a document the question names, times its share of the naming weight
	NamedLevel        float64 `yaml:"named_level" json:"named_level"`                 // share of the gap to its document's best fused score a passage of a named document is given (0: none, 1: all its passages level)
	AnswerTypePassage float64 `yaml:"answer_type_passage" json:"answer_type_passage"` // rerank bonus times the coverage of a passage's best sentence holding the kind of thing asked (a date, a figure, someone)
	AboutFused        float64 `yaml:"about_fused" json:"about_fused"`                 // the same before the pool is cut, as a share of the best fused score
	AboutSearch       float64 `yaml:"about_search" json:"about_search"`               // least share of the naming weight a document holds for its chunks to be searched on their own
	AboutDocs         int     `yaml:"about_docs" json:"about_docs"`                   // most documents searched on their own
	AboutYear         float64 `yaml:"about_year" json:"about_year"`                   // share of its naming weight a year keeps
	OtherPlace        float64 `yaml:"other_place" json:"other_place"`                 // taken from a passage of another place's document, as a share of the best fused score
	PlaceSentence     float64 `yaml:"place_sentence" json:"place_sentence"`           // share of its weight a term naming a place, person or body keeps for choosing passages and sentences
	HeadTerms         float64 `yaml:"head_terms" json:"head_terms"`                   // 1: a question's word naming a document counts as found in every sentence of it (0: off)
	UnseenEquiv       float64 `yaml:"unseen_equivalent" json:"unseen_equivalent"`     // share of its weight a word in no document keeps when an equivalent is in one
	NearJaccard       float64 `yaml:"near_jaccard" json:"near_jaccard"`               // least shingle Jaccard similarity of two copies of one passage
	NearContained     float64 `yaml:"near_contained" json:"near_contained"`           // least share of a short passage's shingles in a longer one for it to be a copy
	TimeYear          float64 `yaml:"time_year" json:"time_year"`                     // bonus (malus) of a passage about (not about) the year asked, as resolved at ingest
	TimeKind          float64 `yaml:"time_kind" json:"time_kind"`                     // bonus (malus) of a passage reporting an outcome (a target) as asked (not as asked)

	// resolve: follow-ups
	CarriedTerm  float64 `yaml:"carried_term" json:"carried_term"`   // weight of a word a follow-up carries from the previous question, against its own words
	PriorDoc     float64 `yaml:"prior_doc" json:"prior_doc"`         // bonus of a passage of the previous turn's documents, for a follow-up
	RelatedDoc   float64 `yaml:"related_doc" json:"related_doc"`     // the same for a question that only shares words with the previous turn
	PriorPassage float64 `yaml:"prior_passage" json:"prior_passage"` // further bonus of a passage the previous answer came from

	// select: scoring the sentences
	Slot         float64 `yaml:"slot" json:"slot"`                     // weight of what the question asks for (a date, the issuer) as a share of its terms' weight
	SlotMin      float64 `yaml:"slot_min" json:"slot_min"`             // the least weight of a slot
	Cover        float64 `yaml:"cover" json:"cover"`                   // a sentence's own coverage of the question
	Context      float64 `yaml:"context" json:"context"`               // its coverage with its heading path and the sentence before
	Bigram       float64 `yaml:"bigram" json:"bigram"`                 // its share of the question's character bigrams
	Position     float64 `yaml:"position" json:"position"`             // bonus of its passage's rank, divided by the rank
	Number       float64 `yaml:"number" json:"number"`                 // bonus of a number when the question asks one
	Amount       float64 `yaml:"amount" json:"amount"`                 // bonus of an amount with a unit (641.8亿元) when the question asks how much of a quantity, not a rate
	TimeSentence float64 `yaml:"time_sentence" json:"time_sentence"`   // weight of its passage's time fit (time_year, time_kind) in a sentence's score
	Topic        float64 `yaml:"topic" json:"topic"`                   // share of a sentence's coverage counted with its passage's title and heading path, which it speaks of unnamed
	Equivalent   float64 `yaml:"equivalent" json:"equivalent"`         // share of its weight a question's word found only as an equivalent (经济总量 for gdp) keeps in a sentence's score
	AnswerType   float64 `yaml:"answer_type" json:"answer_type"`       // bonus of a sentence holding, beyond the question's words, the kind of thing asked (a date, a figure, someone, a place)
	QuotedSource float64 `yaml:"quoted_source" json:"quoted_source"`   // malus of a sentence giving what another document says (根据《总体方案》) when a passage of that document is among the candidates
	HeaderLine   float64 `yaml:"header_line" json:"header_line"`       // factor of a header block's or heading line's sentence, unless the question asks a date, who or a number
	ShortBudget  int     `yaml:"short_budget" json:"short_budget"`     // runes of an answer to a question asking one thing
	Close        float64 `yaml:"close" json:"close"`                   // least score of another sentence of a cited passage, as a share of the best one's, to be given beside it
	Fragment     int     `yaml:"fragment" json:"fragment"`             // runes under which the best sentence is a fragment, given with the sentence after it
	Keep         float64 `yaml:"keep" json:"keep"`                     // least score of another sentence, as a share of the best one's
	Adds         float64 `yaml:"adds" json:"adds"`                     // least share of the question's weight another sentence of a cited passage must add
	AddsNew      float64 `yaml:"adds_new" json:"adds_new"`             // the same for a sentence of a passage not yet cited
	AddsNewCover float64 `yaml:"adds_new_cover" json:"adds_new_cover"` // and the least coverage that sentence must hold

	// compose: outlines and parts
	OutlineCover     float64 `yaml:"outline_cover" json:"outline_cover"`           // least coverage of the heading over the items, asked for parts
	OutlineListCover float64 `yaml:"outline_list_cover" json:"outline_list_cover"` // the same, asked for a list
	OutlineAbove     float64 `yaml:"outline_above" json:"outline_above"`           // bonus of a heading above the best passage
	OutlineFound     float64 `yaml:"outline_found" json:"outline_found"`           // bonus of a heading whose items were found
	PartCovered      float64 `yaml:"part_covered" json:"part_covered"`             // coverage of a part by the whole answer above which the part adds nothing
	PartCover        float64 `yaml:"part_cover" json:"part_cover"`                 // least coverage of a part's own answer
	PlacePartCover   float64 `yaml:"place_part_cover" json:"place_part_cover"`     // the same, for parts asking of different places

	// refuse
	MinCoverage     float64 `yaml:"min_coverage" json:"min_coverage"`           // least coverage of the best sentence, else refused
	MissingBelow    float64 `yaml:"missing_below" json:"missing_below"`         // best sentence's coverage below which missing concepts are looked for
	MaxMissingShare float64 `yaml:"max_missing_share" json:"max_missing_share"` // share of the informative weight in no document that refuses
	RareWord        float64 `yaml:"rare_word" json:"rare_word"`                 // general-use word weight above which a word is rare
	KeyTermShare    float64 `yaml:"key_term_share" json:"key_term_share"`       // least share of the question's weight of a term that must be where the answer is (0: not checked)
	KeyTermNaming   float64 `yaml:"key_term_naming" json:"key_term_naming"`     // share of its weight a word naming the answer's document (国务院 of its title) keeps in that question's weight
	KeyTermsMissing float64 `yaml:"key_terms_missing" json:"key_terms_missing"` // least share of the question's weight that lighter key terms missing together refuse (0: not checked)
	CommonWord      float64 `yaml:"common_word" json:"common_word"`             // general-use word weight below which a dictionary word (居民) is no local place's name
	UnitClauseTerm  float64 `yaml:"unit_clause_term" json:"unit_clause_term"`   // least weight, as a share of the heaviest asked term's, of a term that ties an amount's clause to what is asked (0: any term)
	ListedNameCover float64 `yaml:"listed_name_cover" json:"listed_name_cover"` // share of the asked terms' weight below which an answer naming a place only as a list item is refused (0: not checked)
	EventDateShare  float64 `yaml:"event_date_share" json:"event_date_share"`   // least weight of the asked terms the answer's dated sentences must hold, as a share of what its best undated sentence holds, to date the event asked (0: not checked)
}

// DefaultWeights returns the weights the engine uses unless told otherwise.
func DefaultWeights() Weights {
	return Weights{
		ExpandedTerm: 0.4, VectorWeight: DefaultVectorWeight, RRFK: 60,
		RerankPool: 60, SentenceWeight: 0.7, NamedDoc: 0.3, NamedLevel: 0.5, AnswerTypePassage: 0.1, AboutFused: 0.3, AboutSearch: 0.3, AboutDocs: 8, AboutYear: 0.5, OtherPlace: 0.3, PlaceSentence: 1, HeadTerms: 1, UnseenEquiv: 0.5, NearJaccard: 0.85, NearContained: 0.85,
		CarriedTerm: 0.2, PriorDoc: 0.3, RelatedDoc: 0.3, PriorPassage: 0.1,
		TimeYear: 0.4, TimeKind: 0.2,
		Slot: 0.5, SlotMin: 1, Cover: 0.8, Context: 0.2, Bigram: 0.15, Position: 0.08, Number: 0.1, Amount: 0.1, TimeSentence: 0.1, Topic: 0.75, Equivalent: 0.8, AnswerType: 0.1, QuotedSource: 0.2, HeaderLine: 0.5,
		ShortBudget: 260, Close: 0.7, Fragment: 40, Keep: 0.6, Adds: 0.2, AddsNew: 0.55, AddsNewCover: 0.5,
		OutlineCover: 0.3, OutlineListCover: 0.5, OutlineAbove: 0.2, OutlineFound: 0.1,
		PartCovered: 0.6, PartCover: 0.6, PlacePartCover: 0.4,
		MinCoverage: 0.3, MissingBelow: 0.4, MaxMissingShare: 0.45, RareWord: 0.9,
		KeyTermShare: 0.2, KeyTermNaming: 0.5, KeyTermsMissing: 0.3, CommonWord: 0.6, UnitClauseTerm: 0.5, EventDateShare: 0.5, ListedNameCover: 0.5,
	}
}

// ReadWeights reads weights in YAML or JSON from r over base: keys the
// file does not name keep base's value; an unknown key is an error.
func ReadWeights(r io.Reader, base Weights) (Weights, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return base, err
	}
	w := base
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&w); err != nil && !errors.Is(err, io.EOF) {
		return base, err
	}
	return w, nil
}

// LoadWeights reads the weights file at path over base.
func LoadWeights(path string, base Weights) (Weights, error) {
	f, err := os.Open(path)
	if err != nil {
		return base, fmt.Errorf("weights: %w", err)
	}
	defer f.Close()
	w, err := ReadWeights(f, base)
	if err != nil {
		return base, fmt.Errorf("weights %s: %w", path, err)
	}
	return w, nil
}

// WeightNames lists the names of the weights, as a file writes them.
func WeightNames() []string {
	t := reflect.TypeOf(Weights{})
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Tag.Get("yaml")
	}
	return out
}

// Set sets the weight a file names name to v (rounded for counts).
func (w *Weights) Set(name string, v float64) error {
	rv := reflect.ValueOf(w).Elem()
	for i := 0; i < rv.NumField(); i++ {
		if rv.Type().Field(i).Tag.Get("yaml") != name {
			continue
		}
		switch f := rv.Field(i); f.Kind() {
		case reflect.Int:
			f.SetInt(int64(v + 0.5))
		default:
			f.SetFloat(v)
		}
		return nil
	}
	return fmt.Errorf("no weight %q (the weights are %s)", name, strings.Join(WeightNames(), ", "))
}

// Get returns the weight a file names name.
func (w Weights) Get(name string) (float64, bool) {
	rv := reflect.ValueOf(w)
	for i := 0; i < rv.NumField(); i++ {
		if rv.Type().Field(i).Tag.Get("yaml") != name {
			continue
		}
		if f := rv.Field(i); f.Kind() == reflect.Int {
			return float64(f.Int()), true
		}
		return rv.Field(i).Float(), true
	}
	return 0, false
}
