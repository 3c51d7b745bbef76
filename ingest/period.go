package ingest

// The time a passage is about. A government work report dated in year Y
// reviews Y−1 (过去一年, 2018年工作回顾) and plans Y (今年, 主要预期目标,
// 2019年工作安排); a speech's 今年 is its own year; a plan's targets are for
// the years it names (到2020年). The words that say so are read per section:
// a chunk takes the time of its heading path, innermost heading first, then
// of its section's opening text, then of its own first words.

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"policybot/fold"
)

// Time kinds of a chunk: whether it says what happened or what is to be done.
const (
	TimeReview = "review" // an outcome: a review of a past year, figures achieved
	TimePlan   = "plan"   // a target: arrangements, expected targets, plans
)

// period is the time a text is about: the years (absolute) and the kind.
type period struct {
	years []int
	kind  string
}

func (p period) empty() bool { return len(p.years) == 0 && p.kind == "" }

// fill takes from q what p lacks.
func (p period) fill(q period) period {
	if len(p.years) == 0 {
		p.years = q.years
	}
	if p.kind == "" {
		p.kind = q.kind
	}
	return p
}

// timeCue is one way a text says what time it is about: a pattern over
// folded text, the kind it gives, and the years: the pattern's first group
// when it captures a year, else the document's year plus each of offsets.
type timeCue struct {
	name    string
	pattern string
	kind    string
	offsets []int // relative to the document's year; nil with a captured year
	// heading marks a cue read in headings only: in running text 工作部署
	// is no section of plans.
	heading bool
	pos     []string
	neg     []string
}

// timeCues are the cues, tried in order; the first that matches a text
// decides its period. Each has examples it must match (pos) and must not
// (neg), run by TestTimeCuesTable.
var timeCues = []timeCue{
	{name: "year-review", pattern: `((?:19|20)[0-9]{2})年(?:度)?(?:工作|发展)?(?:回顾|总结|成绩|完成情况|主要成绩)`, kind: TimeReview,
		pos: []string{"一、2018年工作回顾", "2020年工作总结"}, neg: []string{"2019年工作安排", "回顾过去"}},
	{name: "year-plan", pattern: `((?:19|20)[0-9]{2})年(?:度)?(?:的)?(?:工作|发展)?(?:安排|部署|任务|计划|打算|目标|重点工作|工作重点|总体要求|主要预期目标)`, kind: TimePlan,
		pos: []string{"二、2019年工作安排", "2019年主要预期目标", "2021年重点工作"}, neg: []string{"2018年工作回顾", "2019年是新中国成立70周年"}},
	{name: "target-year", pattern: `(?:^|[,，。;；:：、\s])(?:到|至|预计到|力争到)((?:19|20)[0-9]{2})年`, kind: TimePlan,
		pos: []string{"到2020年,综合实力显着增强", "据测算,到2025年济源生产总值有望超过1000亿元"}, neg: []string{"从1997年到2018年的22年间"}},
	{name: "this-year-so-far", pattern: `今年以来|今年上半年|今年前[一二三四五六七八九十0-9]+个?月|今年[0-9]+[-—~至][0-9]+月`, kind: TimeReview, offsets: []int{0},
		pos: []string{"今年以来,全市经济运行平稳", "今年上半年"}, neg: []string{"今年经济社会发展主要预期目标是"}},
	{name: "past-year", pattern: `过去一年|去年|上一年|上年度|一年来`, kind: TimeReview, offsets: []int{-1},
		pos: []string{"过去一年,面对严峻复杂的形势", "回顾过去一年", "一年来,我们自觉接受人大监督"}, neg: []string{"今年政府工作要认真落实", "过去五年"}},
	{name: "past-five-years", pattern: `过去五年|五年来`, kind: TimeReview, offsets: []int{-5, -4, -3, -2, -1},
		pos: []string{"过去五年,我们", "五年来"}, neg: []string{"今后五年"}},
	{name: "next-five-years", pattern: `今后五年|未来五年`, kind: TimePlan, offsets: []int{0, 1, 2, 3, 4},
		pos: []string{"今后五年全区工作的总体目标是"}, neg: []string{"过去五年"}},
	// 今年 plans in a work report, reviews in a summary, only dates elsewhere (genreOf).
	{name: "this-year", pattern: `今年|本年度`, kind: TimePlan, offsets: []int{0},
		pos: []string{"今年经济社会发展主要预期目标是", "今年政府工作要认真落实"}, neg: []string{"去年"}},
	{name: "next-year", pattern: `明年`, kind: TimePlan, offsets: []int{1},
		pos: []string{"明年要"}, neg: []string{"今年"}},
	{name: "plan-heading", pattern: `预期目标|发展目标|主要目标|目标任务|工作安排|工作部署`, kind: TimePlan, heading: true,
		pos: []string{"(三)发展目标", "二、工作安排"}, neg: []string{"二、总体要求"}},
	{name: "review-heading", pattern: `工作回顾|工作总结|主要成绩|取得的成绩`, kind: TimeReview, heading: true,
		pos: []string{"一、工作回顾"}, neg: []string{"二、工作安排"}},
}

// genre is what a document's title says of its own year: a year-end
// summary reviews it (its 今年 is an outcome), a work report plans it (its
// 今年 is a target); of any other document (a speech, an article) 今年 names
// the year only.
type genre int

const (
	genreOther genre = iota
	genreReport
	genreSummary
)

var (
	reSummaryTitle = regexp.MustCompile(`总结|述职|工作回顾`)
	reReportTitle  = regexp.MustCompile(`工作报告`)
)

func genreOf(title string) genre {
	t := fold.String(title)
	switch {
	case reSummaryTitle.MatchString(t):
		return genreSummary
	case reReportTitle.MatchString(t):
		return genreReport
	}
	return genreOther
}

// compiledCue is a timeCue compiled.
type compiledCue struct {
	timeCue
	re *regexp.Regexp
}

var compiledCues = func() []compiledCue {
	out := make([]compiledCue, len(timeCues))
	for i, c := range timeCues {
		out[i] = compiledCue{c, regexp.MustCompile(c.pattern)}
	}
	return out
}()

// periodOf returns the period a folded text speaks of, by the first cue it
// matches; docYear (0 when unknown) resolves relative cues, g is the
// document's genre, and heading says the text is a heading.
func periodOf(text string, docYear int, g genre, heading bool) period {
	for _, c := range compiledCues {
		if c.heading && !heading {
			continue
		}
		m := c.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		p := period{kind: c.kind}
		switch {
		case c.offsets == nil && len(m) > 1 && m[1] != "":
			y, _ := strconv.Atoi(m[1])
			p.years = []int{y}
		case c.offsets != nil && docYear > 0:
			for _, o := range c.offsets {
				p.years = append(p.years, docYear+o)
			}
		case c.offsets != nil:
			continue // a relative cue in an undated document says nothing
		}
		if c.name == "this-year" {
			switch g {
			case genreSummary:
				p.kind = TimeReview
			case genreOther:
				p.kind = ""
			}
		}
		return p
	}
	return period{}
}

// docYear returns the year a document speaks from: its own date's, else
// the first year of the title of a report or summary (2019年政府工作报告;
// an article titled 2008年夏季奥运会 does not speak from 2008).
func docYear(doc *Document) int {
	for _, s := range []string{doc.Date, doc.PubDate} {
		if len(s) >= 4 {
			if y, err := strconv.Atoi(s[:4]); err == nil && y > 1900 {
				return y
			}
		}
	}
	if g := genreOf(doc.Title); g == genreOther {
		return 0
	}
	if m := reTitleYear.FindString(fold.String(doc.Title)); m != "" {
		y, _ := strconv.Atoi(m)
		return y
	}
	return 0
}

var reTitleYear = regexp.MustCompile(`(?:19|20)[0-9]{2}`)

// leadRunes is how much of a section's opening text or a chunk's own text
// is read for cues: the opening words say what a section is about; a cue
// deep inside a passage speaks of that sentence only.
const leadRunes = 60

// assignPeriods sets the years and time kind of a document's body chunks,
// section by section: a chunk's heading path decides (innermost heading
// first), then the opening text of its outermost section (过去一年,…
// under 一、工作回顾), then its own opening words.
func assignPeriods(doc *Document, chunks []Chunk) {
	y := docYear(doc)
	g := genreOf(doc.Title)
	opening := map[string]period{} // by outermost heading: what its first chunk's text says
	for i := range chunks {
		c := &chunks[i]
		if c.Kind != KindBody {
			continue
		}
		var p period
		var path []string
		if c.Section != "" {
			path = strings.Split(c.Section, SectionSep)
		}
		for j := len(path) - 1; j >= 0 && (len(p.years) == 0 || p.kind == ""); j-- {
			p = p.fill(periodOf(fold.String(path[j]), y, g, true))
		}
		lead := periodOf(leadOf(c.Folded, path), y, g, false)
		if len(path) > 0 {
			top := path[0]
			o, ok := opening[top]
			if !ok {
				o = lead
				if o.empty() && g == genreReport && y > 0 && len(opening) == 0 && isFirstChapter(top) {
					o = period{years: []int{y - 1}, kind: TimeReview}
				}
				opening[top] = o
			}
			p = p.fill(o)
		}
		p = p.fill(lead)
		if p.kind == TimePlan {
			p.years = withTargetYears(p.years, c.Folded)
		}
		if len(p.years) > 0 || p.kind != "" {
			c.Years, c.TimeKind = p.years, p.kind
		}
	}
}

// isFirstChapter reports whether a heading opens the first chapter of a
// document (一、…). A government work report's first chapter reviews the
// year before its own even where neither its heading nor its opening words
// say so (一、牢记殷殷嘱托… opening 2024年是…): every one opens with its
// review, then plans.
func isFirstChapter(heading string) bool {
	return strings.HasPrefix(heading, "一、") || strings.HasPrefix(heading, "一,") || strings.HasPrefix(heading, "一，")
}

// reTargetYears finds each target year a plan's text sets (到2020年…
// 到2025年…到2035年), at the start of a clause.
var reTargetYears = regexp.MustCompile(`(?:^|[,，。;；:：、.\s])(?:到|至|预计到|力争到)((?:19|20)[0-9]{2})年`)

// withTargetYears adds to years every target year a plan chunk's folded
// text sets: a section of targets for 2020, 2025 and 2035 is about each,
// not only the first its opening words name.
func withTargetYears(years []int, folded string) []int {
	for _, m := range reTargetYears.FindAllStringSubmatch(folded, -1) {
		y, err := strconv.Atoi(m[1])
		if err != nil || slices.Contains(years, y) {
			continue
		}
		years = append(slices.Clip(years), y)
	}
	return years
}

// leadOf returns the opening words of a chunk's folded text after the
// heading lines of its path that it repeats.
func leadOf(folded string, path []string) string {
	t := folded
	for _, h := range path {
		fh := fold.String(h)
		if strings.HasPrefix(t, fh) {
			t = strings.TrimLeft(t[len(fh):], "\n 。.")
		}
	}
	rs := []rune(t)
	if len(rs) > leadRunes {
		rs = rs[:leadRunes]
	}
	return string(rs)
}
