import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../core/context';
import { bulkUploadService } from './bulk.upload.service';
import { BulkUploadTargetType } from './bulk.upload.type';

@Resolver()
export class BulkUploadResolver {
  @Mutation(() => BulkUploadTargetType, {
    description:
      'A signed URL to upload a list of numbers to (CSV or XLSX: a column of MSISDNs, or of MSISDNs and ICCIDs for SIM replacements; a header row is recognised; 8…, +7… and 7… forms are accepted). For an administrator or an OPERATE key of the company; it works for 15 minutes, for the same caller only.',
  })
  async createBulkUpload(
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) companyId: string,
    @Ctx() ctx: Context,
  ): Promise<BulkUploadTargetType> {
    return Object.assign(new BulkUploadTargetType(), await bulkUploadService.createTarget(ctx, companyId));
  }
}
