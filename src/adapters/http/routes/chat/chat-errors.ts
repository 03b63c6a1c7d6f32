import type { FastifyReply } from 'fastify';
import type { ChatError } from '../../../chat/chat-service.js';

// The chat's refusals on HTTP: one status and one zh-CN message per code
// (a Record over the union: a new code does not compile without both).

export const CHAT_ERROR_STATUS: Record<ChatError['code'], number> = {
  'chat.not_found': 404,
  'chat.token_invalid': 401,
  'chat.conversation_closed': 409,
  'conversation.not_found': 404,
  'conversation.closed': 409,
  'conversation.taken': 409,
  'conversation.not_taken': 409,
  'compliance.blocked': 422,
  'compliance.warnings_not_acknowledged': 409,
};

export const CHAT_ERROR_ZH: Record<ChatError['code'], string> = {
  'chat.not_found': '会话不存在或已失效。',
  'chat.token_invalid': '会话凭证无效，请重新发起咨询。',
  'chat.conversation_closed': '本次会话已结束，如需帮助请重新发起咨询。',
  'conversation.not_found': '未找到该会话。',
  'conversation.closed': '该会话已结束。',
  'conversation.taken': '该会话已由其他客服接入。',
  'conversation.not_taken': '请先接入该会话再回复。',
  'compliance.blocked': '回复内容未通过合规审查，不能发送，请按提示修改。',
  'compliance.warnings_not_acknowledged':
    '回复内容存在合规提示，请确认后再发送。',
};

export function sendChatError(reply: FastifyReply, error: ChatError) {
  const body = { code: error.code, message: CHAT_ERROR_ZH[error.code] };
  if (
    error.code === 'compliance.blocked' ||
    error.code === 'compliance.warnings_not_acknowledged'
  )
    return reply.status(CHAT_ERROR_STATUS[error.code]).send({
      code: error.code,
      verdict: error.verdict,
      findings: error.findings,
      error: body,
    });
  return reply.status(CHAT_ERROR_STATUS[error.code]).send({ error: body });
}
