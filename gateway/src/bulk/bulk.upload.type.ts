import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('BulkUploadTarget', {
  description:
    'Where to POST a list of numbers (CSV or XLSX) for a bulk operation, by the same caller (session or API key), before `expiresAt`. The answer is JSON `{ uploadId, lines, withIccid, invalidLineCount }`; pass `uploadId` as `BulkSelectionInput.uploadId`.',
})
export class BulkUploadTargetType {
  @Field({
    description:
      'Path on the gateway, e.g. "/uploads/eyJ…": resolve it against the GraphQL endpoint’s origin and POST the file’s bytes as the body, with `Content-Type: text/csv` or `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, at most 20 MB and 100,000 numbers. 410 UPLOAD_EXPIRED after `expiresAt` or for another caller, 401 without credentials.',
  })
  url: string;
  @Field(() => GraphQLDateTime, { description: 'When the URL stops working (15 minutes after it was made).' }) expiresAt: Date;
}
