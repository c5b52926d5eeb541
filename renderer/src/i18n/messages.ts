// What the engine says (errors, skip reasons, notes), in the interface's language, keyed by the message's stable code.
// {name} placeholders are filled from AppError.params. The engine's own English sentence stays the source of truth:
// English shows it as is, and Japanese falls back to it for a code missing here or a param the error did not carry.
// test/ui/messages.test.ts checks that every code written in core/ has a Japanese entry.
import type { AppError, StageTiming } from '../../../core/contract/api.js';
import type { Language } from '../../../core/contract/vocabulary.js';

export interface MessageTemplate {
  /** The English wording, as a template (the reference for translators). */
  en: string;
  ja: string;
  /** What to do next, when the code implies one; the engine's action is used otherwise. */
  actionJa?: string;
}

export const MESSAGES: Record<string, MessageTemplate> = {
  // the engine host and serve mode
  cancelled: { en: '{what} was cancelled.', ja: '{what} を取り消しました。', actionJa: '必要なときにもう一度始めてください。' },
  'engine-stopped': { en: 'The engine process stopped.', ja: 'エンジンのプロセスが停止しました。', actionJa: 'アプリを再起動してください。繰り返す場合はターミナルで `localrag status` を実行して原因を確認してください。' },
  'engine-restarted': { en: 'The engine stopped while working on this and has been restarted.', ja: 'この処理の途中でエンジンが停止したため、再起動しました。', actionJa: 'もう一度お試しください。繰り返す場合はターミナルで `localrag doctor` を実行してください。' },
  'server-stopped-answer': { en: 'Ollama stopped the answer with an error: {detail}', ja: 'Ollama がエラーで回答を中断しました: {detail}', actionJa: 'Ollama のサーバーログを確認してください (長いコンテキストではメモリ不足が多いので、小さいモデルかコンテキストを試してください)。その後もう一度質問してください。' },
  'empty-answer': { en: 'The model "{model}" finished without writing an answer.', ja: 'モデル「{model}」は回答を書かずに終了しました。', actionJa: 'もう一度質問するか、設定で別のモデルを選んでください。' },
  'engine-failed': { en: 'The engine could not start: {reason}', ja: 'エンジンを起動できませんでした: {reason}', actionJa: 'データフォルダとモデルを確認して、アプリを再起動してください。' },
  'invalid-message': { en: 'The engine received a malformed message.', ja: 'エンジンが不正な形式のメッセージを受け取りました。', actionJa: 'アプリを再起動してください。繰り返す場合は報告してください。' },
  'invalid-url': { en: 'The request URL is not valid.', ja: 'リクエストの URL が正しくありません。' },
  'forbidden-origin': { en: 'Requests from other web pages are refused.', ja: 'ほかのウェブページからのリクエストは受け付けません。', actionJa: '`localrag serve` が表示した URL からアプリを開いてください。' },
  'invalid-client-id': { en: 'The client id must be 8 to 64 letters, digits, _ or -.', ja: 'クライアント ID は 8〜64 文字の英数字、_ または - でなければなりません。' },
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
  'first-token-timeout': { en: 'The model "{model}" produced no first token in time.', ja: 'モデル "{model}" が制限時間内に回答を始めませんでした。', actionJa: 'もう一度試すか、小さいモデルを選ぶか、設定で最初のトークンの制限時間を延ばしてください。' },
  'load-failed': { en: 'The model could not be loaded.', ja: 'モデルを読み込めませんでした。', actionJa: 'モデルのファイルを確認するか、別のモデルを選んでください。' },
  'idle-timeout': { en: 'The model "{model}" stopped sending text in the middle of its answer; the answer is incomplete.', ja: 'モデル "{model}" が回答の途中で止まりました。回答は不完全です。', actionJa: 'もう一度試してください。繰り返す場合は LLM を再起動するか、小さいモデルを選ぶか、設定でトークン間の制限時間を延ばしてください。' },
  'answer-too-long': { en: 'The model "{model}" sent far more than the answer length it was asked for; the answer was cut.', ja: 'モデル "{model}" が指定より大幅に長い回答を送ったため、途中で切りました。', actionJa: 'LLM サーバーを更新するか、設定で回答の最大長を下げてください。' },
  'reply-too-large': { en: 'The server sent a reply larger than allowed.', ja: 'サーバーの応答が大きすぎます。', actionJa: '設定の Ollama のホストが Ollama 自身を指しているか確認してください。' },
  'server-timeout': { en: 'Ollama did not answer in time.', ja: 'Ollama が時間内に応答しませんでした。', actionJa: 'モデルを読み込み中かもしれません。少し待ってもう一度試すか、Ollama を再起動してください。' },
  'cross-encoder-language': { en: 'The cross-encoder was not trained on this language: its scores are close to noise here.', ja: 'Cross エンコーダはこの言語で学習されていないため、スコアはほぼ当てになりません。', actionJa: '多言語の Cross エンコーダをダウンロードして設定で選ぶか、bi 方式でリランクしてください。' },
  'model-dimension-mismatch': { en: 'The model\'s vector width does not match its config: the weights and config come from different models.', ja: 'モデルのベクトルの幅が設定ファイルと合いません (重みと設定が別のモデルのものです)。', actionJa: 'モデルを再ダウンロードするか、ONNX ファイルと config.json がそろったフォルダを取り込んでください。' },
  'model-wrong-outputs': { en: 'This ONNX file cannot be used for this role.', ja: 'この ONNX ファイルはこの役割には使えません。', actionJa: 'この役割用に書き出した ONNX モデルを取り込み直してください。' },
  'vectors-from-other-embedder': { en: 'The stored vectors were made by another embedder: dense retrieval is off and BM25 alone answers.', ja: '保存済みのベクトルは別の埋め込みモデルで作られたため、ベクトル検索は使わず BM25 だけで検索します。', actionJa: '再インデックスするとベクトルを作り直します。' },
  'download-checksum-mismatch': { en: 'A downloaded file arrived damaged and was deleted.', ja: 'ダウンロードしたファイルが壊れていたため削除しました。', actionJa: 'もう一度ダウンロードしてください。同じ失敗が続く場合は別の接続かミラーを使ってください。' },
  'hub-repo-not-found': { en: 'The hub has no such model repository.', ja: 'ハブにそのモデルのリポジトリがありません。', actionJa: 'localrag を更新するか、設定のダウンロード元を Hugging Face Hub にするか、ローカルのフォルダを取り込んでください。' },
  'hub-repo-refused': { en: 'The hub refused the model repository (private or gated).', ja: 'ハブがモデルのリポジトリへのアクセスを拒否しました (非公開または制限付き)。', actionJa: 'アクセスできるトークンを HF_TOKEN に設定するか、ローカルのフォルダを取り込んでください。' },
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
  'hub-web-page': { en: '{host} answered {file} with a web page instead of the Hub\'s reply (a network sign-in page, a proxy or an error page); nothing was kept.', ja: '{host} は {file} の代わりにウェブページを返しました (ネットワークのログインページ、プロキシ、またはエラーページ)。受け取った内容は保存していません。', actionJa: 'ブラウザでネットワークにログインするか、プロキシと設定の hubHost を確認してから、もう一度ダウンロードしてください (ライブラリ > モデル > ダウンロード)。' },
  'import-unsupported-pooling': { en: '{file} asks for {modes} pooling; localrag pools by the CLS token or the mean of the tokens only.', ja: '{file} は {modes} プーリングを指定していますが、localrag が扱えるのは CLS トークンかトークン平均のプーリングだけです。', actionJa: 'CLS または平均プーリングの埋め込みモデルか、出力 sentence_embedding がすでにプーリング済みの ONNX を取り込んでください。' },
  'synth-invalid-preset': { en: 'There is no such model preset.', ja: 'そのプリセットはありません。', actionJa: 'tiny または bench を使ってください。' },
  'synth-invalid-role': { en: 'A synthesised model cannot have that role.', ja: '合成モデルにはその役割を指定できません。', actionJa: 'embedder か cross-encoder を使ってください。' },
  'synth-tokenizer-missing': { en: 'The tokenizer folder lacks files.', ja: 'トークナイザのフォルダにファイルが足りません。' },
  'synth-tokenizer-unsupported': { en: 'The tokenizer has no WordPiece vocabulary.', ja: 'トークナイザに WordPiece の語彙がありません。' },
  unsupported: { en: 'LLMs are not imported: set an Ollama model or a GGUF path in Settings.', ja: 'LLM は取り込めません。設定で Ollama のモデルか GGUF ファイルを指定してください。' },
  // library and indexing
  'not-a-folder': { en: 'That is not a folder that exists.', ja: '存在するフォルダではありません。', actionJa: '存在するフォルダを選んでください。' },
  'folder-inside-store': { en: "{folder} is inside localrag's store ({dir}).", ja: '{folder} は localrag のストア ({dir}) の中にあります。', actionJa: 'その外のフォルダを選んでください。' },
  'folder-inside-models': { en: "{folder} is inside localrag's models folder ({dir}).", ja: '{folder} は localrag のモデルフォルダ ({dir}) の中にあります。', actionJa: 'その外のフォルダを選んでください。' },
  'index-failed': { en: 'Indexing stopped.', ja: 'インデックス作成が止まりました。', actionJa: '原因を直して再インデックスしてください。終わったファイルは残っています。' },
  // why a file was not indexed (FileStatus.problem) and notes on how it was (FileStatus.note)
  empty: { en: 'empty file', ja: '空のファイル', actionJa: 'インデックスする内容がありません' },
  'too-large': { en: 'too large ({size} > limit {limit})', ja: '大きすぎるファイル ({size} > 上限 {limit})', actionJa: 'インデックスするにはサイズの上限を上げてください' },
  binary: { en: 'binary file', ja: 'バイナリファイル', actionJa: 'インデックスしません' },
  garbled: { en: 'not readable text (no text encoding fits its bytes)', ja: '読めないテキスト (どの文字コードにも合いません)', actionJa: 'UTF-8 で保存し直すとインデックスできます' },
  'no-text': { en: 'no text content', ja: 'テキストがありません', actionJa: 'インデックスする内容がありません' },
  'no-text-layer': { en: 'no text layer (a scanned PDF?)', ja: 'テキスト層がありません (スキャンした PDF?)', actionJa: 'OCR をかけるとインデックスできます' },
  'not-found': { en: 'disappeared before it could be read (deleted or moved)', ja: '読み込む前になくなりました (削除または移動)', actionJa: '対応は不要です: インデックスから外れます' },
  unreadable: { en: 'permission denied', ja: 'アクセスが拒否されました', actionJa: '権限を確認してください' },
  'is-a-folder': { en: 'is a folder, not a file (it changed while scanning)', ja: 'ファイルではなくフォルダです (調べている間に変わりました)', actionJa: '次の実行でフォルダとして調べます' },
  'path-changed': { en: 'a folder on its path was replaced by a file while scanning', ja: '調べている間にパスの途中のフォルダがファイルに置き換わりました', actionJa: '次の実行で再び調べます' },
  'io-error': { en: 'cannot be read', ja: '読み込めません', actionJa: 'ディスクを確認してから、もう一度インデックスしてください' },
  'not-regular-file': { en: 'not a regular file (pipe, socket or device)', ja: '通常のファイルではありません (パイプ、ソケット、デバイス)', actionJa: 'インデックスしません' },
  'changed-during-read': { en: 'file changed while it was being read', ja: '読み込み中にファイルが変更されました', actionJa: '次の実行で再び読み込みます' },
  'unreadable-file-name': { en: 'the file name is not valid UTF-8 ({name})', ja: 'ファイル名が正しい UTF-8 ではありません ({name})', actionJa: '名前を変えるとインデックスできます' },
  'symlink-loop': { en: 'symlink loop: the link leads back to itself', ja: 'シンボリックリンクが自分自身を指しています', actionJa: 'リンクを直すか削除してください' },
  'broken-symlink': { en: 'broken symlink: its target does not exist', ja: 'リンク先のないシンボリックリンクです', actionJa: 'リンクを直すか削除してください' },
  'symlink-to-ancestor': { en: 'symlink loop: links back to a folder that contains it ({folder})', ja: 'シンボリックリンクが自分を含むフォルダを指しています ({folder})', actionJa: 'たどりません' },
  'duplicate-folder': { en: 'duplicate: the same folder is already indexed as {folder}', ja: '重複: 同じフォルダを {folder} としてインデックス済みです', actionJa: 'そちらで一度だけインデックスします' },
  'link-into-ignored': { en: 'links into an ignored folder ({folder})', ja: '除外したフォルダへのリンクです ({folder})', actionJa: 'たどりません' },
  'own-store': { en: "localrag's own index (its store folder)", ja: 'localrag 自身のインデックス (ストアのフォルダ)', actionJa: 'インデックスしません' },
  'own-models': { en: "localrag's models folder", ja: 'localrag のモデルフォルダ', actionJa: 'インデックスしません' },
  'not-a-pdf': { en: 'not a valid PDF (no PDF header): the file is damaged or mislabelled', ja: '正しい PDF ではありません (PDF のヘッダがない): 壊れているか拡張子が違います', actionJa: 'インデックスしません' },
  'encrypted-pdf': { en: 'password-protected PDF', ja: 'パスワード付きの PDF', actionJa: 'パスワードを外すとインデックスできます' },
  'corrupt-pdf': { en: 'damaged PDF ({detail})', ja: '壊れた PDF ({detail})', actionJa: '修復するか書き出し直すとインデックスできます' },
  'not-a-docx': { en: 'not a valid .docx file (damaged, or not really a Word document)', ja: '正しい .docx ファイルではありません (壊れているか Word 文書ではありません)', actionJa: 'Word で保存し直すとインデックスできます' },
  'encrypted-docx': { en: 'password-protected or old-format Word file', ja: 'パスワード付きまたは古い形式の Word ファイル', actionJa: 'パスワードを外すか .docx で保存するとインデックスできます' },
  'corrupt-docx': { en: 'damaged .docx file ({detail})', ja: '壊れた .docx ファイル ({detail})', actionJa: 'Word で保存し直すとインデックスできます' },
  'corrupt-rtf': { en: 'damaged RTF file ({detail})', ja: '壊れた RTF ファイル ({detail})', actionJa: '保存し直すとインデックスできます' },
  'parse-error': { en: 'could not parse this {kind} file: {detail}', ja: 'この {kind} ファイルを解析できませんでした: {detail}', actionJa: 'インデックスしません' },
  'parse-timeout': { en: 'took too long to parse (over {seconds} s)', ja: '解析に時間がかかりすぎました ({seconds} 秒超)', actionJa: '小さなファイルに分けるとインデックスできます' },
  'parse-memory-limit': { en: 'needs more than {limit} of memory to parse', ja: '解析に {limit} を超えるメモリが必要です', actionJa: '小さなファイルに分けるとインデックスできます' },
  'unpacked-too-large': { en: 'too large when unpacked ({unpacked} from a {size} file; limit {limit})', ja: '展開すると大きすぎます ({size} のファイルから {unpacked}、上限 {limit})', actionJa: '小さな文書に分けるとインデックスできます' },
  'decoded-as': { en: 'decoded as {encoding}', ja: '{encoding} として読み込みました', actionJa: '文字化けしている場合は UTF-8 で保存し直してください' },
  'decoded-with-losses': { en: 'decoded as {encoding}; {replaced} unreadable character(s) replaced with \uFFFD', ja: '{encoding} として読み込み、読めない {replaced} 文字を \uFFFD に置き換えました', actionJa: '正確にインデックスするには UTF-8 で保存し直してください' },
  'pdf-page-limit': { en: 'only the first {indexed} of {total} pages were indexed (page limit)', ja: '{total} ページ中、最初の {indexed} ページだけをインデックスしました (ページ数の上限)', actionJa: '残りをインデックスするには PDF を分けてください' },
  'pdf-time-limit': { en: 'only the first {indexed} of {total} pages were indexed (the rest took too long)', ja: '{total} ページ中、最初の {indexed} ページだけをインデックスしました (残りは時間がかかりすぎました)', actionJa: '残りをインデックスするには PDF を分けてください' },
  // the folder and GGUF pickers (browseFolder)
  'invalid-browse-path': { en: '"{path}" is not a full path.', ja: '"{path}" はフルパスではありません。', actionJa: '/ またはドライブ (C:\\) から始まるパスを入力するか、一覧から場所を選んでください。' },
  'browse-folder-not-found': { en: 'There is no folder at {path}.', ja: '{path} にフォルダがありません。', actionJa: 'パスを確認するか、一覧から場所を選んでください。' },
  'browse-not-a-folder': { en: '{path} is not a folder.', ja: '{path} はフォルダではありません。', actionJa: 'それを含むフォルダを選んでください。' },
  'browse-permission-denied': { en: 'The folder {path} cannot be opened: permission denied.', ja: 'フォルダ {path} を開けません: アクセスが拒否されました。', actionJa: '別のフォルダを選ぶか、このフォルダへのアクセス権を得てください。' },
  'browse-symlink-loop': { en: '{path} is a link that leads back to itself.', ja: '{path} は自分自身に戻るリンクです。', actionJa: '別のフォルダを選ぶか、リンクを直してください。' },
  'browse-unreadable': { en: 'The folder {path} cannot be read ({reason}).', ja: 'フォルダ {path} を読み込めません ({reason})。', actionJa: 'ディスクを確認するか、別のフォルダを選んでください。' },
  'browse-truncated': { en: 'Only the first {shown} entries are shown.', ja: '最初の {shown} 件だけを表示しています。', actionJa: '一覧にないフォルダへは、パス欄にそのパスを入力して移動してください。' },
  // evaluation
  'eval-bad-engine-output': { en: 'The engine returned malformed candidates.', ja: 'エンジンが不正な候補を返しました。' },
  'eval-query-without-text': { en: 'Query "{query}" in {path} has no "text".', ja: '{path} の質問「{query}」に "text" がありません。', actionJa: 'すべての質問の本文を "text" フィールドに入れてください。' },
  'eval-bad-jsonl': { en: 'A line of the collection is not valid JSON.', ja: 'コレクションの行が正しい JSON ではありません。' },
  'eval-bad-labels': { en: 'The labelled questions cannot be read.', ja: 'ラベル付きの質問を読み込めません。' },
  'eval-bad-qrels': { en: 'A relevance judgement line is not valid.', ja: '適合判定の行が正しくありません。' },
  'eval-bad-topics': { en: 'A topic line is not valid.', ja: 'トピックの行が正しくありません。' },
  'eval-cache-mismatch': { en: 'The cached scores belong to another run.', ja: 'キャッシュされたスコアは別の実行のものです。' },
  'eval-cache-short': { en: 'The cached scores do not cover every setting.', ja: 'キャッシュされたスコアがすべての設定を含んでいません。' },
  'eval-cancelled': { en: 'Evaluation stopped.', ja: '評価を停止しました。' },
  'eval-running': { en: 'An evaluation is already running.', ja: '評価はすでに実行中です。', actionJa: '終わるまで待つか、中止してください。' },
  'eval-failed': { en: 'The evaluation failed: {detail}', ja: '評価に失敗しました: {detail}', actionJa: 'コレクションとモデルを確認して、もう一度実行してください。' },
  'eval-missing-id': { en: 'A record has no id.', ja: 'ID のないレコードがあります。' },
  'eval-no-docs': { en: 'No documents were found.', ja: '文書が見つかりません。' },
  'eval-no-judged-queries': { en: 'No question of {collection} ({queries} in all) has a relevant document.', ja: '{collection} の質問 ({queries} 件) のどれにも適合する文書がありません。', actionJa: '適合判定 (qrels) がこのコレクションの質問と文書を 0 より大きい評価で指しているか確認してください。' },
  'eval-no-split': { en: 'No relevance file for that split.', ja: 'その分割の適合判定ファイルがありません。' },
  'eval-unknown-format': { en: 'That is not a collection this app can read.', ja: 'このアプリが読めるコレクションではありません。' },
  // the store (opening it, reads that never write, a full disk)
  'store-missing': { en: 'There is no localrag store in {store}: nothing has been indexed there yet.', ja: '{store} に localrag のストアがありません (まだ何もインデックスされていません)。', actionJa: 'まずフォルダをインデックスするか、別のストアを選んでください。' },
  'store-needs-upgrade': { en: 'The store in {store} was written by an older localrag and must be upgraded once; reading it never changes it.', ja: '{store} のストアは古い localrag で作られたため、一度更新が必要です (読み取るだけではストアを変更しません)。', actionJa: 'アプリで開くか `localrag doctor` で更新してから、もう一度試してください。' },
  'store-too-new': { en: 'The store in {store} was written by a newer localrag (store format {found}; this one reads up to {current}).', ja: '{store} のストアは新しい localrag で作られています (形式 {found}、このバージョンが読めるのは {current} まで)。', actionJa: 'localrag を更新するか、別のストアを選んでください。' },
  'store-read-only': { en: 'This store was opened only for reading, so {what} is not possible here.', ja: 'このストアは読み取り専用で開かれているため、ここではできません ({what})。', actionJa: 'ストアに書き込むコマンド (localrag index など) で実行してください。' },
  'disk-full': { en: 'The disk holding {dir} is full: {doing} stopped ({detail}).', ja: '{dir} のあるディスクがいっぱいのため、処理を中断しました ({doing}: {detail})。', actionJa: 'ディスクの空きを増やしてから、もう一度試してください。それまでに保存した内容は残り、インデックスは止まったところから再開します。' },
  // requests and the serve-mode server
  'invalid-request': { en: 'The request is not valid.', ja: 'リクエストが正しくありません。' },
  'invalid-setting': { en: 'A setting is not valid.', ja: '設定の値が正しくありません。' },
  'unknown-method': { en: 'There is no such API method.', ja: 'その API メソッドはありません。' },
  'invalid-host': { en: 'This server only answers requests addressed to 127.0.0.1 or localhost.', ja: 'このサーバーは 127.0.0.1 または localhost 宛てのリクエストにだけ応答します。' },
  'invalid-http-method': { en: 'That HTTP method is not allowed here.', ja: 'この HTTP メソッドは使えません。' },
  unauthorized: { en: 'The access token is missing or wrong.', ja: 'アクセストークンがないか、間違っています。', actionJa: 'localrag serve が表示した URL をそのまま開いてください (トークンを含みます)。' },
  'payload-too-large': { en: 'The request body is larger than 1 MB.', ja: 'リクエストが 1 MB を超えています。' },
  'bad-json': { en: 'The request body is not valid JSON.', ja: 'リクエストが正しい JSON ではありません。' },
  'bad-json-nesting': { en: 'The request body nests more than {limit} levels deep.', ja: 'リクエストの入れ子が {limit} 段を超えています。', actionJa: '入れ子の浅い JSON オブジェクトを送ってください。' },
  'headers-too-large': { en: 'The request headers are larger than this server accepts.', ja: 'リクエストのヘッダーが大きすぎます。', actionJa: 'ヘッダーを短くしてください。' },
  'request-timeout': { en: 'The request took too long to arrive.', ja: 'リクエストの到着に時間がかかりすぎました。', actionJa: 'もう一度送ってください。' },
  'bad-http-request': { en: 'The request is not valid HTTP.', ja: 'リクエストが正しい HTTP ではありません。', actionJa: '正しい形式の HTTP/1.1 リクエストを送ってください。' },
  'usage-error': { en: 'The command was not called the way it expects.', ja: 'コマンドの指定が正しくありません。', actionJa: '`localrag <コマンド> --help` で使い方を確認してください。' },
  'folder-not-absolute': { en: '"{path}" is not a full path.', ja: '「{path}」は完全なパスではありません。', actionJa: '/ またはドライブ (C:\\) から始まるフォルダの完全なパスを指定するか、「フォルダを追加」で選んでください。' },
  'invalid-payload': { en: 'The request could not be passed to the engine ({reason}).', ja: 'リクエストをエンジンに渡せませんでした ({reason})。', actionJa: 'もっと単純なリクエストを送ってください。' },
  internal: { en: 'Something went wrong inside the app.', ja: 'アプリの内部でエラーが起きました。', actionJa: 'ログを確認してください。続く場合は報告してください。' },
  // notes on a stage's timing in the latency view (StageTiming.noteParts; English in core/contract/stage-notes.ts)
  'note-retrieval-off': { en: 'off (retrieval: {retrieval})', ja: 'オフ (検索方式: {retrieval})' },
  'note-vectors': { en: '{count} vectors', ja: 'ベクトル {count} 件' },
  'note-model-missing': { en: 'model missing', ja: 'モデルがありません' },
  'note-unavailable': { en: 'unavailable', ja: '利用できません' },
  'note-stored-vectors': { en: 'stored vectors', ja: '保存済みのベクトル' },
  'note-no-vectors': { en: 'no vectors: retrieval order', ja: 'ベクトルなし: 検索の順位のまま' },
  'note-fusion': { en: '{mode}, {normalisation}', ja: '{mode}、{normalisation}' },
  'note-skipped': { en: 'skipped', ja: '省略' },
  'note-cross-failed': { en: 'cross-encoder failed', ja: 'クロスエンコーダーが失敗しました' },
  'note-cached': { en: 'cached', ja: 'キャッシュ済み' },
  'note-scored-cached': { en: '{scored} scored, {cached} cached', ja: '{scored} 件を採点、{cached} 件はキャッシュ' },
  'note-context-dropped': { en: '{count} passage(s) did not fit the {tokens}-token context', ja: '{count} 件の文章が {tokens} トークンのコンテキストに収まりませんでした' },
  'note-cancelled': { en: 'cancelled', ja: '取り消し' },
  'note-llm-unavailable': { en: 'unavailable: {code}', ja: '利用できません: {code}' },
  'note-language-not-covered': { en: 'language not covered: {script}', ja: '対象外の言語: {script}' },
  'note-rewritten-by-llm': { en: 'rewritten by the LLM', ja: 'LLM が書き換えました' },
  'note-key-terms-added': { en: "previous question's key terms added", ja: '前の質問の重要語を追加しました' },
  'note-rewrite-llm-error': { en: "previous question's key terms added (LLM: {code})", ja: '前の質問の重要語を追加しました (LLM: {code})' },
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

/** A stage's notes in the interface's language (a timing from an older engine has only its English `note`). */
export function localiseStageNote(lang: Language, timing: Pick<StageTiming, 'note' | 'noteParts'>): string {
  if (!timing.noteParts?.length) return timing.note ?? '';
  return timing.noteParts.map((n) => localiseError(lang, n).message).join(lang === 'ja' ? '、' : '; ');
}
