import type { AppRouteHandler, AppVariables } from "../../platform/http/types";
import * as catalog from "./admin-products";
import type {
  AddVariantRoute,
  AdminGetProductRoute,
  AdminListProductsRoute,
  CreateProductRoute,
  DeleteProductRoute,
  DeleteVariantRoute,
  GetVariantRoute,
  ReplaceImagesRoute,
  ReplaceOptionsRoute,
  RestoreProductRoute,
  UpdateProductRoute,
  UpdateVariantRoute,
} from "./admin-products.routes";
import { forgetAfterChange } from "./edge-cache";

/** What the writes need of any of these routes' contexts. */
interface WriteContext {
  req: { url: string };
  var: AppVariables;
}

function admin(c: WriteContext): catalog.CatalogAdmin {
  const { db, audit, auth, stock } = c.var;
  return { db, audit, actorId: auth.user.id, startStock: (variantId) => stock.of(variantId).syncMirror() };
}

/** What shoppers see of the product changed: this data center's edge cache forgets it (others within the bound). */
function forgetAtEdge(c: WriteContext, productId: string): Promise<void> {
  return forgetAfterChange(c.req, c.var.logger, { productId });
}

export const createProduct: AppRouteHandler<CreateProductRoute> = async (c) => {
  const product = await catalog.createProduct(admin(c), c.req.valid("json"), c.var.config.storeCurrency);
  await forgetAtEdge(c, product.id);
  c.header("Location", `/api/admin/products/${product.id}`);
  return c.json(product, 201);
};

export const listProducts: AppRouteHandler<AdminListProductsRoute> = async (c) => {
  const { data, nextCursor } = await catalog.listProducts(c.var.db, c.req.valid("query"));
  return c.json({ data, next_cursor: nextCursor }, 200);
};

export const getProduct: AppRouteHandler<AdminGetProductRoute> = async (c) => {
  return c.json(await catalog.findProduct(c.var.db, c.req.valid("param").id), 200);
};

export const updateProduct: AppRouteHandler<UpdateProductRoute> = async (c) => {
  const product = await catalog.updateProduct(admin(c), c.req.valid("param").id, c.req.valid("json"));
  await forgetAtEdge(c, product.id);
  return c.json(product, 200);
};

export const replaceOptions: AppRouteHandler<ReplaceOptionsRoute> = async (c) => {
  const product = await catalog.replaceOptions(admin(c), c.req.valid("param").id, c.req.valid("json"));
  await forgetAtEdge(c, product.id);
  return c.json(product, 200);
};

export const replaceImages: AppRouteHandler<ReplaceImagesRoute> = async (c) => {
  const product = await catalog.replaceImages(admin(c), c.req.valid("param").id, c.req.valid("json"));
  await forgetAtEdge(c, product.id);
  return c.json(product, 200);
};

export const deleteProduct: AppRouteHandler<DeleteProductRoute> = async (c) => {
  const { id } = c.req.valid("param");
  if (await catalog.deleteProduct(admin(c), id)) await forgetAtEdge(c, id);
  return c.body(null, 204);
};

export const restoreProduct: AppRouteHandler<RestoreProductRoute> = async (c) => {
  const product = await catalog.restoreProduct(admin(c), c.req.valid("param").id);
  await forgetAtEdge(c, product.id);
  return c.json(product, 200);
};

export const addVariant: AppRouteHandler<AddVariantRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const variant = await catalog.addVariant(admin(c), id, c.req.valid("json"));
  await forgetAtEdge(c, id);
  c.header("Location", `/api/admin/variants/${variant.id}`);
  return c.json(variant, 201);
};

export const getVariant: AppRouteHandler<GetVariantRoute> = async (c) => {
  return c.json(await catalog.getVariant(c.var.db, c.req.valid("param").id), 200);
};

export const updateVariant: AppRouteHandler<UpdateVariantRoute> = async (c) => {
  const variant = await catalog.updateVariant(admin(c), c.req.valid("param").id, c.req.valid("json"));
  await forgetAtEdge(c, variant.product_id);
  return c.json(variant, 200);
};

export const deleteVariant: AppRouteHandler<DeleteVariantRoute> = async (c) => {
  const { productId } = await catalog.deleteVariant(admin(c), c.req.valid("param").id);
  await forgetAtEdge(c, productId);
  return c.body(null, 204);
};
