module policybot

go 1.26.8

require (
	github.com/go-ego/gse v0.80.3 // indirect
	github.com/philippgille/chromem-go v0.7.0 // indirect
	github.com/sashabaranov/go-openai v1.43.0 // indirect
	github.com/vcaesar/cedar v0.20.2 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	gopkg.in/telebot.v3 v3.3.8 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
