import { bool, defineMessage, i32, objList, str } from '../message.ts';

// Request messages of Trove's native review, comment, activity and delivery API (/api/trove/v1).

export const Page = defineMessage({ max_results: i32(), page_token: str() });
export const RequestList = defineMessage({ status: str(), max_results: i32(), page_token: str() });
export const SetReviewPolicy = defineMessage({ rules: objList() });
export const CreateReviewRequest = defineMessage({ stage: str(), archive_existing_versions: bool(), alias: str(), remove_alias: bool(), comment: str() });
export const Decision = defineMessage({ comment: str() });
export const CommentBody = defineMessage({ body: str(true) });
export const DeliveryList = defineMessage({ status: str(), max_results: i32(), page_token: str() });

/** Longest comment body accepted (characters). */
export const COMMENT_MAX_LENGTH = 65_535;
