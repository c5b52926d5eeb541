// What the engine says (errors, skip reasons, notes), in the interface's language, keyed by the message's stable code.
// {name} placeholders are filled from AppError.params. The engine's own English sentence stays the source of truth:
// English shows it as is, and Japanese falls back to it for a code missing here or a param the error did not carry.
// test/ui/messages.test.ts checks that every code written in core/ has a Japanese entry.
import type { AppError } from '../../../core/contract/api.js';
import type { Language } from '../../../core/contract/vocabulary.js';

export interface MessageTemplate {
  /** The English wording, as a template (the reference for translators). */
  en: string;
  ja: string;
  /** What to do next, when the code implies one; the engine's action is used otherwise. */
  actionJa?: string;
}

export const MESSAGES: Record<string, MessageTemplate> = {
  // conversations and answers
  'store-empty': { en: 'Nothing is indexed yet, so there is nothing to answer from.', ja: 'まだ何もインデックスされていないため、回答の根拠がありません。', actionJa: 'まずフォルダを追加してください (ライブラリ > フォルダを追加)。' },
  'no-passages': { en: 'No passage matched the question, so there is nothing to answer from.', ja: '質問に合う箇所が見つからないため、回答の根拠がありません。', actionJa: '文書で使われている言葉で質問し直してください。' },
  'conversation-not-found': { en: 'That conversation no longer exists (it may have been deleted).', ja: 'この会話はもうありません (削除された可能性があります)。', actionJa: '新しいチャットを始めてください。' },
  'answer-interrupted': { en: 'The app stopped before this answer was finished.', ja: '回答が終わる前にアプリが停止しました。', actionJa: 'もう一度質問してください。' },
  'answer-failed': { en: 'The question could not be answered: {reason}', ja: '質問に回答できませんでした: {reason}', actionJa: 'もう一度試してください。繰り返す場合はログを確認してください。' },
  'rewrite-timeout': { en: 'The LLM did not rewrite the follow-up question within {seconds} s, so the previous question\'s key terms were added instead.', ja: 'LLM が {seconds} 秒以内に追加の質問を書き換えなかったため、前の質問の主要語を加えて検索しました。', actionJa: '対応は不要です。速いモデルほど追加の質問を正確に検索できます。' },
  'llm-not-chosen': { en: 'No LLM chosen yet.', ja: '回答に使う LLM がまだ選ばれていません。', actionJa: '設定 > LLM で選んでください。' },
  'llm-error': { en: 'The answer could not be generated.', ja: '回答を生成できませんでした。', actionJa: 'もう一度試すか、設定で回答のバックエンドやモデルを変えてください。' },
  'server-unreachable': { en: 'The LLM server (or the LocalRAG server) cannot be reached.', ja: 'サーバーに接続できません。', actionJa: 'Ollama (または localrag serve) が起動しているか確認してください。' },
  'model-missing': { en: 'The model is not installed.', ja: 'モデルがインストールされていません。', actionJa: 'ライブラリ > モデル、または Ollama でモデルを入手してください。' },
  'http-error': { en: 'The server answered with an error.', ja: 'サーバーがエラーを返しました。', actionJa: 'もう一度試してください。繰り返す場合はサーバーのログを確認してください。' },
  'stream-broken': { en: 'The connection broke while the answer was streaming.', ja: '回答の受信中に接続が切れました。', actionJa: 'もう一度質問してください。' },
  'malformed-stream': { en: 'The server sent a reply that is not Ollama\'s JSON.', ja: 'サーバーの応答が Ollama の形式ではありません。', actionJa: '設定の Ollama のホストが正しいか確認してください。' },
  'first-token-timeout': { en: 'The model produced no first token in time.', ja: 'モデルが制限時間内に回答を始めませんでした。', actionJa: 'もう一度試すか、小さいモデルを選ぶか、設定で最初のトークンの制限時間を延ばしてください。' },
  'load-failed': { en: 'The model could not be loaded.', ja: 'モデルを読み込めませんでした。', actionJa: 'モデルのファイルを確認するか、別のモデルを選んでください。' },
  'passage-not-found': { en: 'That passage is no longer in the index (it may have been re-indexed).', ja: 'この箇所はもうインデックスにありません (再インデックスされた可能性があります)。', actionJa: 'もう一度質問してください。' },
  'query-expired': { en: 'That search is no longer in the rerank cache.', ja: 'この検索結果はリランクのキャッシュから消えています。', actionJa: 'もう一度検索してください。' },
  // search models
  'embedder-missing': { en: 'No embedding model: dense retrieval is off, BM25 alone answers.', ja: '埋め込みモデルがないため、ベクトル検索は使わず BM25 だけで検索します。', actionJa: 'ライブラリ > モデルで埋め込みモデルを入手してください。' },
  'embedder-failed': { en: 'The embedder could not start.', ja: '埋め込みモデルを起動できませんでした。', actionJa: 'ライブラリ > モデルでモデルを再ダウンロードまたは再取り込みしてください。' },
  'cross-encoder-missing': { en: 'No cross-encoder: reranking falls back to bi-encoder order.', ja: 'Cross エンコーダがないため、Bi エンコーダの順位を使います。', actionJa: 'ライブラリ > モデルで Cross エンコーダを入手してください。' },
  'cross-encoder-unavailable': { en: 'The cross-encoder could not run; reranking falls back to bi-encoder order.', ja: 'Cross エンコーダを実行できないため、Bi エンコーダの順位を使います。', actionJa: 'Cross エンコーダのモデルを再取り込みまたは再ダウンロードしてください。' },
  'bi-scores-missing': { en: 'These passages have no stored vectors, so the bi-encoder part keeps retrieval order.', ja: 'この箇所にはベクトルがないため、Bi エンコーダの部分は検索順のままです。', actionJa: '埋め込みモデルを用意して再インデックスしてください。' },
  // models
  'model-busy': { en: 'That model is already being downloaded or imported.', ja: 'このモデルはダウンロード中または取り込み中です。', actionJa: '終わるのを待ってから、もう一度試してください。' },
  'model-unknown': { en: 'localrag does not know where to download that model from.', ja: 'このモデルのダウンロード元がわかりません。', actionJa: 'ローカルの Hugging Face ONNX フォルダを取り込んでください。' },
  'model-file-not-found': { en: 'A file of the model was not found on the hub.', ja: 'モデルのファイルがハブに見つかりません。', actionJa: 'モデル名を確認するか、ローカルのフォルダを取り込んでください。' },
  'invalid-model-id': { en: 'That cannot be a model name.', ja: 'モデル名として使えない名前です。', actionJa: '英数字と . _ - だけの名前にしてください (スラッシュは使えません)。' },
  'hub-unreachable': { en: 'The model hub cannot be reached.', ja: 'モデルのハブに接続できません。', actionJa: 'インターネットに接続するか、設定で到達できるミラーを指定してから、もう一度ダウンロードしてください。' },
  'hub-error': { en: 'The download failed.', ja: 'ダウンロードに失敗しました。', actionJa: '後でもう一度試すか、ローカルのフォルダを取り込んでください。' },
  'download-cancelled': { en: 'The download was cancelled; nothing was installed.', ja: 'ダウンロードを取り消しました。何もインストールされていません。', actionJa: '準備ができたらもう一度始めてください。' },
  'download-interrupted': { en: 'The download stopped; nothing was installed.', ja: 'ダウンロードが途中で止まりました。何もインストールされていません。', actionJa: '接続を確認して、もう一度ダウンロードしてください。' },
  'import-unsupported-role': { en: 'LLMs are not imported as model folders.', ja: 'LLM はモデルのフォルダとしては取り込めません。', actionJa: '設定で Ollama のモデルか GGUF ファイルを選んでください。' },
  'import-folder-not-found': { en: 'There is no folder at that path.', ja: 'そのパスにフォルダがありません。', actionJa: 'パスを確認し、config.json と tokenizer.json のあるフォルダを選んでください。' },
  'import-incomplete-folder': { en: 'That is not a complete model folder.', ja: '必要なファイルがそろったモデルのフォルダではありません。', actionJa: 'ONNX の重みを含む Hugging Face のモデルフォルダを選んでください (config.json, tokenizer.json, onnx/model.onnx)。' },
  'import-invalid-file': { en: 'A file of the model is not valid JSON.', ja: 'モデルのファイルが正しい JSON ではありません。', actionJa: '元の場所からファイルをコピーし直してください (途中で切れている可能性があります)。' },
  'synth-invalid-preset': { en: 'There is no such model preset.', ja: 'そのプリセットはありません。', actionJa: 'tiny または bench を使ってください。' },
  'synth-invalid-role': { en: 'A synthesised model cannot have that role.', ja: '合成モデルにはその役割を指定できません。', actionJa: 'embedder か cross-encoder を使ってください。' },
  'synth-tokenizer-missing': { en: 'The tokenizer folder lacks files.', ja: 'トークナイザのフォルダにファイルが足りません。' },
  'synth-tokenizer-unsupported': { en: 'The tokenizer has no WordPiece vocabulary.', ja: 'トークナイザに WordPiece の語彙がありません。' },
  unsupported: { en: 'LLMs are not imported: set an Ollama model or a GGUF path in Settings.', ja: 'LLM は取り込めません。設定で Ollama のモデルか GGUF ファイルを指定してください。' },
  // library and indexing
  'not-a-folder': { en: 'That is not a folder that exists.', ja: '存在するフォルダではありません。', actionJa: '存在するフォルダを選んでください。' },
  'index-failed': { en: 'Indexing stopped.', ja: 'インデックス作成が止まりました。', actionJa: '原因を直して再インデックスしてください。終わったファイルは残っています。' },
  // why a file was not indexed (FileStatus.reasonCode)
  empty: { en: 'empty file', ja: '空のファイル' },
  'too-large': { en: 'too large: raise the size limit to index it', ja: '大きすぎるファイル: インデックスするにはサイズの上限を上げてください' },
  binary: { en: 'binary file: not indexed', ja: 'バイナリファイルのためインデックスしません' },
  garbled: { en: 'not readable text: save it as UTF-8 to index it', ja: '読めないテキスト: UTF-8 で保存し直すとインデックスできます' },
  'no-text': { en: 'no text could be extracted', ja: 'テキストを取り出せませんでした' },
  'not-found': { en: 'disappeared before it could be read (deleted or moved)', ja: '読み込む前になくなりました (削除または移動)' },
  unreadable: { en: 'permission denied (check its permissions)', ja: 'アクセスが拒否されました (権限を確認してください)' },
  'not-a-file': { en: 'not a regular file', ja: '通常のファイルではありません' },
  'symlink-loop': { en: 'symlink loop: the link points back to itself', ja: 'シンボリックリンクが循環しています' },
  'io-error': { en: 'cannot be read', ja: '読み込めません' },
  'changed-during-read': { en: 'changed while it was being read: it is taken again on the next run', ja: '読み込み中に変更されました: 次の実行で再び読み込みます' },
  encrypted: { en: 'password-protected: remove the password to index it', ja: 'パスワードで保護されています: パスワードを外すとインデックスできます' },
  corrupt: { en: 'damaged file: it cannot be read', ja: '壊れたファイルのため読み込めません' },
  'parse-error': { en: 'could not parse this file', ja: 'このファイルを解析できませんでした' },
  // evaluation
  'eval-bad-engine-output': { en: 'The engine returned malformed candidates.', ja: 'エンジンが不正な候補を返しました。' },
  'eval-bad-jsonl': { en: 'A line of the collection is not valid JSON.', ja: 'コレクションの行が正しい JSON ではありません。' },
  'eval-bad-labels': { en: 'The labelled questions cannot be read.', ja: 'ラベル付きの質問を読み込めません。' },
  'eval-bad-qrels': { en: 'A relevance judgement line is not valid.', ja: '適合判定の行が正しくありません。' },
  'eval-bad-topics': { en: 'A topic line is not valid.', ja: 'トピックの行が正しくありません。' },
  'eval-cache-mismatch': { en: 'The cached scores belong to another run.', ja: 'キャッシュされたスコアは別の実行のものです。' },
  'eval-cache-short': { en: 'The cached scores do not cover every setting.', ja: 'キャッシュされたスコアがすべての設定を含んでいません。' },
  'eval-cancelled': { en: 'Evaluation stopped.', ja: '評価を停止しました。' },
  'eval-missing-id': { en: 'A record has no id.', ja: 'ID のないレコードがあります。' },
  'eval-no-docs': { en: 'No documents were found.', ja: '文書が見つかりません。' },
  'eval-no-split': { en: 'No relevance file for that split.', ja: 'その分割の適合判定ファイルがありません。' },
  'eval-unknown-format': { en: 'That is not a collection this app can read.', ja: 'このアプリが読めるコレクションではありません。' },
  // requests and the serve-mode server
  'invalid-request': { en: 'The request is not valid.', ja: 'リクエストが正しくありません。' },
  'invalid-setting': { en: 'A setting is not valid.', ja: '設定の値が正しくありません。' },
  'unknown-method': { en: 'There is no such API method.', ja: 'その API メソッドはありません。' },
  'invalid-host': { en: 'This server only answers requests addressed to 127.0.0.1 or localhost.', ja: 'このサーバーは 127.0.0.1 または localhost 宛てのリクエストにだけ応答します。' },
  'invalid-http-method': { en: 'That HTTP method is not allowed here.', ja: 'この HTTP メソッドは使えません。' },
  unauthorized: { en: 'The access token is missing or wrong.', ja: 'アクセストークンがないか、間違っています。', actionJa: 'localrag serve が表示した URL をそのまま開いてください (トークンを含みます)。' },
  'payload-too-large': { en: 'The request body is larger than 1 MB.', ja: 'リクエストが 1 MB を超えています。' },
  'bad-json': { en: 'The request body is not valid JSON.', ja: 'リクエストが正しい JSON ではありません。' },
  internal: { en: 'Something went wrong inside the app.', ja: 'アプリの内部でエラーが起きました。', actionJa: 'ログを確認してください。続く場合は報告してください。' },
  // the renderer's own
  client: { en: 'Something went wrong in the window.', ja: '画面の処理でエラーが起きました。' },
  'ui-crash': { en: 'This screen failed.', ja: 'この画面でエラーが起きました。', actionJa: '画面を切り替えるか、ウィンドウを再読み込みしてください。' },
};

export interface ShownMessage {
  message: string;
  action?: string;
  /** The engine's English sentence, when the translation leaves out specifics it holds (a path, a reason). */
  detail?: string;
}

function fill(template: string, params: Record<string, string | number> | undefined): string | null {
  let missing = false;
  const out = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) missing = true;
    return String(v ?? '');
  });
  return missing ? null : out;
}

/** An engine message in the interface's language; English is the engine's own sentence. */
export function localiseError(lang: Language, error: AppError): ShownMessage {
  const template = MESSAGES[error.code];
  if (lang === 'en' || !template) return { message: error.message, ...(error.action ? { action: error.action } : {}) };
  const message = fill(template.ja, error.params);
  if (message === null) return { message: error.message, ...(error.action ? { action: error.action } : {}) };
  const action = template.actionJa ?? error.action;
  // The English original holds more than the template (e.g. the path or the server's words): keep it as a detail.
  const detail = fill(template.en, error.params) === error.message ? undefined : error.message;
  return { message, ...(action ? { action } : {}), ...(detail ? { detail } : {}) };
}

/** A skip reason: the engine's sentence in English, the code's template in Japanese (the sentence as detail). */
export function localiseReason(lang: Language, code: string | undefined, reason: string, params?: Record<string, string | number>): ShownMessage {
  if (!code) return { message: reason };
  const shown = localiseError(lang, { code, message: reason, ...(params ? { params } : {}) });
  return { message: shown.message, ...(shown.detail ? { detail: shown.detail } : {}) };
}
