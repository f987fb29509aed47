/** What chat itself says, whatever the feature: short, warm, plain Simplified Chinese. */
export const chatSay = {
  /** Something failed while answering; what the person sent is kept. */
  error: () => '抱歉，刚才出了点小问题，您说的我都记着呢，请稍后再发一次。',
  /** Too many messages from one person in a short time. */
  busy: () => '消息有点多，请稍等一会儿再发。',
};
