import { featureMessages } from './feature.ts';

/** Participant suggestions in the meeting form (meetings/ParticipantSuggestions.tsx). */
export const suggestions = featureMessages({
  en: {
    'suggestions.title': 'Suggested people',
    'suggestions.loading': 'Looking for people who work on this…',
    'suggestions.failed': 'No suggestions right now: {reason}',
    'suggestions.none': 'Nobody to suggest for this topic yet.',
    'suggestions.attended': 'Attended {count, plural, one {# meeting} other {# meetings}} about {topic} lately',
    'suggestions.decisionOwner':
      '{count, plural, one {Owns the open decision} other {Owns # open decisions, such as}} “{title}”',
    'suggestions.add': 'Add',
    'suggestions.add.named': 'Add {name}',
  },
  de: {
    'suggestions.title': 'Vorgeschlagene Personen',
    'suggestions.loading': 'Suche Personen, die daran arbeiten …',
    'suggestions.failed': 'Gerade keine Vorschläge: {reason}',
    'suggestions.none': 'Zu diesem Thema gibt es noch niemanden vorzuschlagen.',
    'suggestions.attended': 'War zuletzt bei {count, plural, one {# Meeting} other {# Meetings}} zu {topic}',
    'suggestions.decisionOwner':
      '{count, plural, one {Verantwortlich für die offene Entscheidung} other {Verantwortlich für # offene Entscheidungen, etwa}} „{title}“',
    'suggestions.add': 'Hinzufügen',
    'suggestions.add.named': '{name} hinzufügen',
  },
  ja: {
    'suggestions.title': 'おすすめの参加者',
    'suggestions.loading': 'このテーマに関わる人を探しています…',
    'suggestions.failed': '現在おすすめを表示できません: {reason}',
    'suggestions.none': 'このテーマでおすすめできる人はまだいません。',
    'suggestions.attended': '最近 {topic} に関する会議に {count, plural, other {# 回}}参加',
    'suggestions.decisionOwner': '{count, plural, other {未完了の決定事項 # 件の担当者}}: 「{title}」',
    'suggestions.add': '追加',
    'suggestions.add.named': '{name} を追加',
  },
});
